#Requires -Version 7.4
<#
.SYNOPSIS
    Builds, tests, documents and packages Renku.PowerShell.

.DESCRIPTION
    Orchestrates the .NET build for people with pwsh. `dotnet build` and `dotnet test` alone also
    work: the module is staged by MSBuild in out/Renku.PowerShell/<version>/.

.PARAMETER Task
    One or more of Build, Test, Pester, Package, Docs, Clean, run in the order given.

.PARAMETER Configuration
    The build configuration (Debug or Release).

.EXAMPLE
    ./build.ps1 -Task Build, Test

.EXAMPLE
    ./build.ps1 -Task Package -Configuration Release
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Pester', 'Package', 'Docs', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Debug'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

$root = $PSScriptRoot
$version = ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup.VersionPrefix | Where-Object { $_ } | Select-Object -First 1
$staged = Join-Path $root "out/Renku.PowerShell/$version"
$results = Join-Path $root 'out/TestResults'

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

function Invoke-TestTask {
    Invoke-Native dotnet @('test', (Join-Path $root 'Renku.PowerShell.sln'), '-c', $Configuration, '--logger', 'trx', '--results-directory', $results)
    $pester = Get-Module -ListAvailable -Name Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if ($pester) {
        Invoke-PesterTask
    }
    else {
        Write-Host 'Pester 5 is not installed: skipping tests/Pester (Install-PSResource Pester to run them).' -ForegroundColor Yellow
    }
}

function Invoke-PesterTask {
    if (-not (Test-Path (Join-Path $staged 'Renku.PowerShell.psd1'))) {
        Invoke-BuildTask
    }

    Import-Module Pester -MinimumVersion 5.0 -ErrorAction Stop
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $false
    $config.Run.PassThru = $true
    $config.TestResult.Enabled = $true
    $config.TestResult.OutputFormat = 'NUnitXml'
    $config.TestResult.OutputPath = Join-Path $results 'Pester.xml'
    $config.Output.Verbosity = 'Detailed'

    # Pester runs in a child pwsh so the module loaded by the tests never locks this session.
    $script = "Import-Module Pester -MinimumVersion 5.0; `$c = [PesterConfiguration]::new(); " +
        "`$c.Run.Path = '$($config.Run.Path.Value)'; `$c.Run.PassThru = `$true; " +
        "`$c.TestResult.Enabled = `$true; `$c.TestResult.OutputFormat = 'NUnitXml'; " +
        "`$c.TestResult.OutputPath = '$($config.TestResult.OutputPath.Value)'; `$c.Output.Verbosity = 'Detailed'; " +
        "`$r = Invoke-Pester -Configuration `$c; exit `$r.FailedCount"
    & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
    if ($LASTEXITCODE -ne 0) {
        throw "Pester reported $LASTEXITCODE failed test(s); see $($config.TestResult.OutputPath.Value)."
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
        $lines.AddRange([string[]]@('---', 'external help file: Renku.PowerShell.dll-Help.xml', 'Module Name: Renku.PowerShell', 'online version:', 'schema: 2.0.0', '---', '', "# $($command.Name)", '', '## SYNOPSIS', '{{ One sentence: what it does. }}', '', '## SYNTAX', ''))
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

foreach ($name in $Task) {
    Write-Host "== $name" -ForegroundColor Green
    & "Invoke-$($name)Task"
}
