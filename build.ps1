#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, demonstrates, documents and packages Renku.PowerShell.

.DESCRIPTION
    Orchestrates the .NET build and the tests. `dotnet build` alone also works: the module is
    staged by MSBuild in out/Renku.PowerShell/<version>/. Run it with the repository's pwsh:

        dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test

.PARAMETER Task
    One or more of Build, Test, Pester, Demo, Package, Docs, Clean, Fuzz, run in the order given.

.PARAMETER Configuration
    The build configuration (Debug or Release).

.PARAMETER Target
    Fuzz: the fuzz targets to run (tests/Fuzz/corpus/<name>); all of them when left out.

.PARAMETER Minutes
    Fuzz: how long afl-fuzz runs each target.

.PARAMETER SaveCorpus
    Fuzz: copy the inputs afl found (its queue) into the committed corpus as found-* files.

.EXAMPLE
    ./build.ps1 -Task Test

    Builds everything, runs the xunit suites and then the Pester suite in real pwsh; fails if either fails.

.EXAMPLE
    ./build.ps1 -Task Demo

    Builds the module and checks the example session image the build writes (no network needed).

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release

.EXAMPLE
    ./build.ps1 -Task Fuzz -Target env-yaml, manifest -Minutes 10

    Runs afl++ on two readers for ten minutes each (the engine instrumented by SharpFuzz) and
    reports executions, paths, crashes and hangs per target; fails if any crash or hang was found.
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Demo', 'Package', 'Docs', 'Clean', 'Fuzz')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug',

    [string[]] $Target,

    [ValidateRange(1, 1440)]
    [int] $Minutes = 10,

    [switch] $SaveCorpus
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$version = ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
$staged = Join-Path $root "out/Renku.PowerShell/$version"
$results = Join-Path $root 'out/TestResults'

# Shared with the Pester suite: this pwsh as a command line for a child (Get-PwshCommand) and
# NuGet's package folder (Get-NuGetPackageRoot).
Import-Module (Join-Path $root 'tests/Pester/TestParts.psm1') -Function Get-PwshCommand, Get-NuGetPackageRoot

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    Write-Host "> $FilePath $($ArgumentList -join ' ')" -ForegroundColor Cyan
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) {
        throw "$FilePath exited with code $LASTEXITCODE"
    }
}

function Invoke-BuildTask {
    Invoke-Native dotnet @('build', (Join-Path $root 'Renku.PowerShell.sln'), '-c', $Configuration)
}

function Get-PesterManifest {
    # Pester comes from its NuGet package (tools/Pester.psd1), which the build tools project downloads.
    $project = Join-Path $root 'tools/Renku.PowerShell.BuildTools/Renku.PowerShell.BuildTools.csproj'
    $pesterVersion = (Select-Xml -Path $project -XPath '/Project/PropertyGroup/PesterVersion').Node.InnerText
    $manifest = Join-Path (Get-NuGetPackageRoot) "pester/$pesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) {
        Invoke-Native dotnet @('restore', $project)
    }

    if (-not (Test-Path $manifest)) {
        throw "Pester $pesterVersion was not found at $manifest after restoring $project."
    }

    $manifest
}

# The Docker engine the xunit suites start for themselves when they first need one
# (tests/Support/.../Parts/DockerDaemon.cs): one per machine, shared by the test processes.
$testEngineState = '/tmp/renku-ps-test-docker'

function Get-TestEngineProcess {
    $pidFile = Join-Path $testEngineState 'docker.pid'
    $id = 0
    if (-not (Test-Path $pidFile) -or -not [int]::TryParse((Get-Content -Raw $pidFile).Trim(), [ref] $id)) {
        return $null
    }

    Get-Process -Id $id -ErrorAction SilentlyContinue | Where-Object ProcessName -EQ 'dockerd'
}

function Wait-ProcessEnd {
    # True once the process has ended, within the seconds given. The engine is not this process's
    # child: where nothing reaps it (an init that does not), it stays a zombie, which has ended too.
    param([int] $Id, [int] $Seconds)
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    do {
        $stat = Get-Content -Raw "/proc/$Id/stat" -ErrorAction SilentlyContinue
        if (-not $stat -or ($stat.Substring($stat.LastIndexOf(')') + 2, 1) -in 'Z', 'X')) {
            return $true
        }

        Start-Sleep -Milliseconds 200
    } while ([DateTime]::UtcNow -lt $deadline)

    $false
}

function Stop-TestEngine {
    # Stops the engine (SIGTERM, so it stops its containers; a kill after 30 s) and removes its state.
    $engine = Get-TestEngineProcess
    if ($engine) {
        Write-Host "> stopping the tests' Docker engine (pid $($engine.Id))" -ForegroundColor Cyan
        & sh -c 'kill -TERM "$1"' sh $engine.Id
        if (-not (Wait-ProcessEnd $engine.Id 30)) {
            Write-Warning "The tests' Docker engine (pid $($engine.Id)) did not stop within 30 s; killing it."
            $engine.Kill()
            $null = Wait-ProcessEnd $engine.Id 10
        }
    }

    if (Test-Path $testEngineState) {
        # dockerd leaves two mounts behind when it stops (its data root bound onto itself, and the
        # default network namespace); deepest first, so the folder can go.
        $mounts = Get-Content /proc/self/mounts -ErrorAction SilentlyContinue |
            ForEach-Object { ($_ -split ' ')[1] } |
            Where-Object { $_ -eq $testEngineState -or $_.StartsWith("$testEngineState/") } |
            Sort-Object Length -Descending
        foreach ($mount in $mounts) {
            & umount $mount 2>$null
            if ($LASTEXITCODE -ne 0) {
                & umount -l $mount 2>$null
            }
        }

        Remove-Item -Recurse -Force $testEngineState -ErrorAction SilentlyContinue
        if (Test-Path $testEngineState) {
            Write-Warning "$testEngineState could not be removed completely; the next run starts its engine there again."
        }
    }
}

function Invoke-TestTask {
    # The xunit suites, then the Pester suite in real pwsh; both run, and the task fails if either failed.
    Invoke-BuildTask
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $results
    # An engine that already ran (a developer's, or RENKU_TEST_DOCKER_HOST's) is left running; one
    # the suites start here is stopped when they end.
    $engineWasRunning = $null -ne (Get-TestEngineProcess)
    try {
        & dotnet test (Join-Path $root 'Renku.PowerShell.sln') -c $Configuration --no-build --logger trx --results-directory $results --blame-hang-timeout 15m
        $xunitExit = $LASTEXITCODE
    }
    finally {
        if (-not $engineWasRunning) {
            Stop-TestEngine
        }
    }

    $pesterFailure = $null
    try {
        Invoke-PesterTask
    }
    catch {
        $pesterFailure = $_
    }

    # Printed last, so the tail of a long CI log names what failed and why.
    Write-TestFailureSummary

    if ($xunitExit -ne 0) {
        throw "dotnet test exited with code $xunitExit$(if ($pesterFailure) { "; $pesterFailure" })."
    }

    if ($pesterFailure) {
        throw $pesterFailure
    }
}

function Get-XmlText {
    # The text of the first element of that name below the node, or nothing.
    param([System.Xml.XmlElement] $Node, [string] $Name)
    $element = $Node.GetElementsByTagName($Name) | Select-Object -First 1
    if ($element) { $element.InnerText } else { '' }
}

function Write-TestFailureSummary {
    # Every failed test of the xunit TRX files and Pester's NUnit XML, with the first lines of its
    # message and where it failed.
    $failures = @(
        foreach ($file in Get-ChildItem -Path $results -Filter '*.trx' -ErrorAction SilentlyContinue) {
            foreach ($result in ([xml](Get-Content -Raw -LiteralPath $file.FullName)).GetElementsByTagName('UnitTestResult')) {
                if ($result.GetAttribute('outcome') -notin 'Passed', 'NotExecuted') {
                    "[xunit] $($result.GetAttribute('testName')): $($result.GetAttribute('outcome'))"
                    "$(Get-XmlText $result 'Message')`n$(Get-XmlText $result 'StackTrace')"
                }
            }
        }

        $pester = Join-Path $results 'Pester.xml'
        if (Test-Path -LiteralPath $pester) {
            foreach ($case in ([xml](Get-Content -Raw -LiteralPath $pester)).GetElementsByTagName('test-case')) {
                if ($case.GetAttribute('result') -in 'Failure', 'Error') {
                    "[Pester] $($case.GetAttribute('name')): $($case.GetAttribute('result'))"
                    "$(Get-XmlText $case 'message')`n$(Get-XmlText $case 'stack-trace')"
                }
            }
        }
    )

    # Pairs: a heading, then the message and stack trace.
    if ($failures.Count -eq 0) {
        return
    }

    Write-Host "== $($failures.Count / 2) failed test(s)" -ForegroundColor Red
    for ($i = 0; $i -lt $failures.Count; $i += 2) {
        Write-Host $failures[$i] -ForegroundColor Red
        $lines = @($failures[$i + 1] -split "`r?`n" | Where-Object { $_.Trim() })
        foreach ($line in $lines | Select-Object -First 25) {
            Write-Host "    $line"
        }

        if ($lines.Count -gt 25) {
            Write-Host "    ... ($($lines.Count - 25) more lines in the result files under $results)"
        }
    }
}

function Invoke-PesterTask {
    if (-not (Test-Path (Join-Path $staged 'Renku.PowerShell.psd1'))) {
        Invoke-BuildTask
    }

    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $pester = Get-PesterManifest
    $output = Join-Path $results 'Pester.xml'

    # Pester runs in a child pwsh so the module loaded by the tests never locks this session. Its
    # exit code counts failed tests, failed blocks and files that could not be run.
    $script = @"
Import-Module '$pester' -ErrorAction Stop
`$c = New-PesterConfiguration
`$c.Run.Path = '$(Join-Path $root 'tests/Pester')'
`$c.Run.PassThru = `$true
`$c.TestResult.Enabled = `$true
`$c.TestResult.OutputFormat = 'NUnitXml'
`$c.TestResult.OutputPath = '$output'
`$c.Output.Verbosity = 'Detailed'
`$r = Invoke-Pester -Configuration `$c
exit (`$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount)
"@
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported $LASTEXITCODE failure(s); see $output."
    }
}

function Invoke-DemoTask {
    # The module's main job on a fresh clone, offline: the build writes an example session image
    # (an OCI layout in out/example), and a fresh pwsh with the module inspects and checks it.
    Invoke-Native dotnet @('build', (Join-Path $root 'src/Renku.PowerShell/Renku.PowerShell.csproj'), '-c', $Configuration)
    $image = Join-Path $root 'out/example/python-lab'
    # What it shows, and why one rule fails, is said as it goes. Redirected (a CI log, a file), the
    # output has no escape codes and is laid out for 120 columns; in a terminal it uses the terminal.
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$(Join-Path $staged 'Renku.PowerShell.psd1')'
`$redirected = [Console]::IsOutputRedirected
if (`$redirected) { `$PSStyle.OutputRendering = 'PlainText' }
function Say([string] `$Text) { if (`$redirected) { Write-Host `$Text } else { Write-Host `$Text -ForegroundColor Cyan } }
function Show { if (`$redirected) { `$input | Out-String -Width 120 -Stream | Write-Host } else { `$input | Out-Host } }
Say 'The build wrote an example session image, docker.io/renku-example/python-lab:latest, as an OCI layout'
Say '(nothing is downloaded); Renku.PowerShell reads it as it would read a registry. The layout is in'
Say '  $image'
Say ''
Say 'What the image is, read from its layers without running it:'
Say '> Get-RenkuImage -LiteralPath <layout> -IncludeFiles'
Get-RenkuImage -LiteralPath '$image' -IncludeFiles | Format-List Reference, Digest, Platform, User, OsPrettyName, LayerCount, CompressedSize | Show
Say 'Renku''s rules for session images:'
Say '> Test-RenkuImageCompliance -Path <layout>'
`$report = Test-RenkuImageCompliance -Path '$image'
`$report | Show
`$report.Results | Where-Object Outcome -NE 'Skip' | Show
Say "`$(@(`$report.Results | Where-Object Outcome -EQ 'Skip').Count) rule(s) skipped: they need a Dockerfile (-Dockerfile), the registry (-Image) or a session run (-Runtime Docker)."
Say ''
Say 'The check fails, on purpose: the example is tagged latest (RKC012). A floating tag can point to another image'
Say 'tomorrow, so a session started next week may not run what was checked today. Every other rule passes: the user'
Say 'is uid 1000, the distribution is known, the port and directories fit Renku''s settings. Tag the image with a'
Say 'version (python-lab:1.0.0) or pin its digest and the check passes; Test-RenkuImageCompliance -FailOn Error would'
Say 'then let a CI step go on.'
"@
    $pwsh = Get-PwshCommand
    & $pwsh[0] @($pwsh | Select-Object -Skip 1) -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) {
        throw "The demo failed with exit code $LASTEXITCODE."
    }
}

function Invoke-PackageTask {
    Invoke-BuildTask
    $tool = Join-Path $root "tools/Renku.PowerShell.BuildTools/bin/$Configuration/net10.0/Renku.PowerShell.BuildTools.dll"
    Invoke-Native dotnet @($tool, 'pack', '--module', $staged, '--out', (Join-Path $root 'out/packages'))
}

function Invoke-DocsTask {
    # Writes a skeleton page for each exported cmdlet that has none; existing pages are left alone.
    if (-not (Test-Path (Join-Path $staged 'Renku.PowerShell.psd1'))) {
        Invoke-BuildTask
    }

    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
    $module = Import-Module (Join-Path $staged 'Renku.PowerShell.psd1') -PassThru -Force
    foreach ($command in Get-Command -Module $module.Name) {
        $page = Join-Path $root "docs/help/$($command.Name).md"
        if (Test-Path $page) {
            continue
        }

        $lines = [System.Collections.Generic.List[string]]::new()
        $lines.AddRange([string[]]@('---', 'external help file: Renku.PowerShell.dll-Help.xml', 'Module Name: Renku.PowerShell', "online version: https://github.com/renku-powershell/Renku.PowerShell/blob/main/docs/help/$($command.Name).md", 'schema: 2.0.0', '---', '', "# $($command.Name)", '', '## SYNOPSIS', '{{ One sentence: what it does. }}', '', '## SYNTAX', ''))
        foreach ($set in $command.ParameterSets) {
            $lines.AddRange([string[]]@("### $($set.Name)$(if ($set.IsDefault) { ' (Default)' })", '```', "$($command.Name) $($set.ToString())", '```', ''))
        }

        $lines.AddRange([string[]]@('## DESCRIPTION', '{{ What it does, for whom, and what it returns. }}', '', '## EXAMPLES', '', '### Example 1: {{ title }}', '```powershell', "PS> $($command.Name)", '```', '', '{{ What the example shows. }}', '', '## PARAMETERS', ''))
        foreach ($parameter in $command.Parameters.Values | Where-Object { $_.Name -notin $common } | Sort-Object Name) {
            $lines.AddRange([string[]]@("### -$($parameter.Name)", '{{ Description }}', ''))
            foreach ($set in $parameter.ParameterSets.GetEnumerator()) {
                $pipeline = @(if ($set.Value.ValueFromPipelineByPropertyName) { 'ByPropertyName' }; if ($set.Value.ValueFromPipeline) { 'ByValue' })
                $lines.AddRange([string[]]@('```yaml', "Type: $($parameter.ParameterType.Name)", "Parameter Sets: $(if ($set.Key -eq '__AllParameterSets') { '(All)' } else { $set.Key })", "Aliases: $($parameter.Aliases -join ', ')", '', "Required: $($set.Value.IsMandatory)", "Position: $(if ($set.Value.Position -ge 0) { $set.Value.Position } else { 'Named' })", 'Default value: None', "Accept pipeline input: $(if ($pipeline) { 'True (' + ($pipeline -join ', ') + ')' } else { 'False' })", 'Accept wildcard characters: False', '```', ''))
            }
        }

        $lines.AddRange([string[]]@('### CommonParameters', 'This cmdlet supports the common parameters. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).', '', '## INPUTS', '', '## OUTPUTS', ''))
        foreach ($type in $command.OutputType) {
            $lines.AddRange([string[]]@("### $($type.Name)", ''))
        }

        $lines.AddRange([string[]]@('## NOTES', '', '## RELATED LINKS', ''))
        Set-Content -Path $page -Value $lines -Encoding utf8NoBOM
        Write-Host "wrote $page (fill in the {{ }} parts)" -ForegroundColor Yellow
    }
}

function Invoke-CleanTask {
    Invoke-Native dotnet @('clean', (Join-Path $root 'Renku.PowerShell.sln'), '-c', $Configuration)
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue (Join-Path $root 'out')
}

function Install-Afl {
    # Debian's afl++, installed the way .ci/run installs the test parts (as root, only when missing).
    if (Get-Command afl-fuzz -ErrorAction SilentlyContinue) {
        return
    }

    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get @('update', '-qq')
    Invoke-Native apt-get @('install', '-y', '-qq', '--no-install-recommends', 'afl++')
}

function Invoke-FuzzTask {
    Install-Afl
    Invoke-Native dotnet @('tool', 'restore')
    $fuzzRoot = Join-Path $root 'tests/Fuzz'
    $bin = Join-Path $root 'out/fuzz/bin'
    # A fresh output folder each time: SharpFuzz instruments the assemblies in place, and an
    # incremental build would leave an instrumented copy to be instrumented twice.
    Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $bin
    Invoke-Native dotnet @('build', (Join-Path $fuzzRoot 'Renku.PowerShell.Fuzz/Renku.PowerShell.Fuzz.csproj'), '-c', $Configuration, '-o', $bin)
    foreach ($assembly in 'Renku.PowerShell.Engine.dll', 'YamlDotNet.dll') {
        Invoke-Native dotnet @('sharpfuzz', (Join-Path $bin $assembly))
    }

    $corpusRoot = Join-Path $fuzzRoot 'corpus'
    # From bash a list arrives as one argument ('env-yaml,manifest'): split it as pwsh would have.
    $names = if ($Target) { $Target -split ',' | ForEach-Object Trim | Where-Object { $_ } } else { Get-ChildItem -Directory $corpusRoot | Sort-Object Name | ForEach-Object Name }
    $env:AFL_SKIP_BIN_CHECK = '1'          # a .NET program, not an afl-compiled binary
    $env:AFL_NO_UI = '1'
    $env:AFL_SKIP_CPUFREQ = '1'
    $env:AFL_NO_AFFINITY = '1'             # shared machines: no core pinning
    $env:AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES = '1'
    $rows = foreach ($name in $names) {
        $corpus = Join-Path $corpusRoot $name
        if (-not (Test-Path $corpus)) {
            throw "There is no fuzz target '$name' (no folder $corpus)."
        }

        $findings = Join-Path $root "out/fuzz/findings/$name"
        Remove-Item -Recurse -Force -ErrorAction SilentlyContinue $findings
        New-Item -ItemType Directory -Force (Join-Path $root 'out/fuzz/logs'), (Split-Path $findings) | Out-Null
        $log = Join-Path $root "out/fuzz/logs/$name.log"
        Write-Host "> afl-fuzz $name for $Minutes min (log: $log)" -ForegroundColor Cyan
        # Each input is bounded by -t (ms); the allocation budget is checked by the target itself.
        & nice -n 19 afl-fuzz -i $corpus -o $findings -t 5000 -m none -V ($Minutes * 60) -- dotnet (Join-Path $bin 'Renku.PowerShell.Fuzz.dll') afl $name *> $log
        $stats = @{}
        $statsFile = Join-Path $findings 'default/fuzzer_stats'
        if (Test-Path $statsFile) {
            foreach ($line in Get-Content $statsFile) {
                $key, $value = $line -split '\s*:\s*', 2
                $stats[$key.Trim()] = "$value".Trim()
            }
        }

        if ($stats.Count -eq 0) {
            throw "afl-fuzz did not run for '$name' (it wrote no statistics); see $log"
        }

        if ($SaveCorpus) {
            $queue = Join-Path $findings 'default/queue'
            foreach ($file in Get-ChildItem -File $queue -ErrorAction SilentlyContinue | Where-Object Name -NotMatch 'orig:') {
                $hash = (Get-FileHash -Algorithm SHA256 $file.FullName).Hash.Substring(0, 12).ToLowerInvariant()
                Copy-Item $file.FullName (Join-Path $corpus "found-$hash")
            }
        }

        [pscustomobject]@{
            Target = $name
            Minutes = $Minutes
            Executions = $stats['execs_done']
            Paths = $stats['corpus_count']
            Edges = $stats['edges_found']
            Crashes = $stats['saved_crashes']
            Hangs = $stats['saved_hangs']
        }
    }

    $rows | Format-Table -AutoSize | Out-String | Write-Host
    $bad = @($rows | Where-Object { "$($_.Crashes)" -ne '0' -or "$($_.Hangs)" -ne '0' })
    if ($bad.Count -gt 0) {
        throw "afl found crashes or hangs in: $($bad.Target -join ', '); see out/fuzz/findings/<target>/default/crashes and hangs, and replay them with an uninstrumented build (the instrumented one runs only under afl): dotnet run --project tests/Fuzz/Renku.PowerShell.Fuzz -- replay <target> <folder>"
    }
}

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Green
    & "Invoke-$($name)Task"
}
