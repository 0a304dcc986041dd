# The default views as people see them: every cmdlet's output, with realistic long names (a
# registry, a three-part path and a tag: 71 characters), rendered through Out-String -Width 120
# and -Width 80 and through real terminals of 120 and 80 columns (tmux). At 120 the values a row
# is read for appear whole (a long image shortened in its middle, its registry, name and tag kept)
# and every header is whole; at 80 at least the first two key columns are.
BeforeDiscovery {
    # The outputs, each as a command line, its output type, the parts it needs, the values that must
    # appear whole at 120 columns and those of the first two key columns (at 80).
    $cases = @(
        @{ Name = 'ConvertTo-RenkuImageReference'; Type = 'ImageReference'; Needs = @('registry'); Command = 'ConvertTo-RenkuImageReference $long'
            Whole = { @($registryHost, 'py-basic-jupyterlab', '2.10.3', 'Semver') }; First = { @($registryHost, 'py-basic-jupyterlab') } }
        @{ Name = 'Get-RenkuImage'; Type = 'ImageInfo'; Needs = @('registry'); Command = 'Get-RenkuImage $long -IncludeFiles'
            Whole = { @("$registryHost/", '/py-basic-jupyterlab:2.10.3', 'linux/amd64', (Get-RenkuImage $long).Digest.Substring(0, 15)) }; First = { @("$registryHost/", '/py-basic-jupyterlab:2.10.3', 'linux/amd64') } }
        @{ Name = 'Get-RenkuImageTag'; Type = 'ImageTag'; Needs = @('registry'); Command = 'Get-RenkuImageTag $repository'
            Whole = { @('2.11.0', '2.10.3', 'latest', 'Semver', 'Latest') }; First = { @('2.11.0', 'Semver') } }
        @{ Name = 'Test-RenkuImageCompliance'; Type = 'ComplianceReport'; Needs = @('registry'); Command = 'Test-RenkuImageCompliance $long, $latest'
            Whole = { @("$registryHost/", '/py-basic-jupyterlab:2.10.3', '/py-basic-jupyterlab:latest', 'Failed') + (Test-RenkuImageCompliance $latest).FailingRules }; First = { @('/py-basic-jupyterlab:latest', 'Failed') } }
        @{ Name = 'Test-RenkuImageCompliance results'; Type = 'ComplianceResult'; Needs = @('registry'); Command = '(Test-RenkuImageCompliance $latest).Results | Where-Object Outcome -EQ Fail'
            Whole = { @('RKC012', 'Error', 'Fail') }; First = { @('RKC012', 'Error') } }
        @{ Name = 'Get-RenkuImageUpgrade'; Type = 'ImageUpgrade'; Needs = @('registry'); Command = 'Get-RenkuImageUpgrade $long'
            Whole = { @("$registryHost/", '/py-basic-jupyterlab:2.10.3', '2.11.0', 'MinorAvailable') }; First = { @("$registryHost/", '/py-basic-jupyterlab:2.10.3', '2.10.3') } }
        @{ Name = 'Update-RenkuImageTag'; Type = 'ImageTagUpdate'; Needs = @('registry', 'renku'); Command = 'Get-RenkuGlobalEnvironment | Get-RenkuImageUpgrade | Update-RenkuImageTag -WhatIf'
            Whole = { @($environmentName, '/py-basic-jupyterlab:2.11.0', 'False') }; First = { @($environmentName, '/py-basic-jupyterlab:2.11.0') } }
        @{ Name = 'Get-RenkuGlobalEnvironment'; Type = 'GlobalEnvironment'; Needs = @('registry', 'renku'); Command = 'Get-RenkuGlobalEnvironment'
            Whole = { @($environmentName, '/py-basic-jupyterlab:2.10.3', '8888', '/lab') }; First = { @($environmentName, "$registryHost/", '/py-basic-jupyterlab:2.10.3') } }
        @{ Name = 'Sync-RenkuGlobalEnvironment'; Type = 'EnvironmentChange'; Needs = @('registry', 'renku'); Command = 'Sync-RenkuGlobalEnvironment -Path $environmentsFile -WhatIf'
            Whole = { @('Update', $environmentName, '8888', '8889') }; First = { @('Update', $environmentName) } }
        @{ Name = 'Get-RenkuSessionLauncher'; Type = 'SessionLauncher'; Needs = @('registry', 'renku'); Command = 'Get-RenkuSessionLauncher'
            Whole = { @('Notebook for the course', '/py-basic-jupyterlab:2.10.3', $environmentName) }; First = { @('Notebook for the course', '/py-basic-jupyterlab:2.10.3') } }
        @{ Name = 'Get-RenkuConnection'; Type = 'RenkuConnection'; Needs = @('renku'); Command = 'Get-RenkuConnection'
            Whole = { @(([uri]$renku).Authority, 'admin', 'True', 'AccessToken') }; First = { @(([uri]$renku).Authority, 'admin') } }
        @{ Name = 'Get-RenkuEnvironmentReport'; Type = 'EnvironmentReport'; Needs = @('registry', 'renku'); Command = 'Get-RenkuEnvironmentReport'
            Whole = { @($environmentName, [regex]'\b(Passed|PassedWithWarnings|Failed)\b', 'MinorAvailable', '2.11.0') + (Get-RenkuEnvironmentReport).FailingRules }; First = { @($environmentName, [regex]'\b(Ok|Info|Unknown|Warning|Failure)\b') } }
        @{ Name = 'Get-RenkuSession'; Type = 'RenkuSession'; Needs = @('kubernetes'); Command = 'Get-RenkuSession -Kubeconfig $kubeconfig'
            Whole = { @($parts.Kubernetes.sessions[0].name, 'ghcr.io/', '/py-basic-jupyterlab:2.10.3', $parts.Kubernetes.sessions[0].state) }; First = { @($parts.Kubernetes.sessions[0].name, '/py-basic-jupyterlab:2.10.3') } }
        @{ Name = 'Build-RenkuImage'; Type = 'ImageBuildResult'; Needs = @('docker', 'registry'); Command = 'Build-RenkuImage $context -Tag "$($repository):2.12.0" -DockerHost $dockerHost -Verify'
            Whole = { @('Dockerfile', "$registryHost/", '/py-basic-jupyterlab:2.12.0', [regex]'\b(True|False)\s*$') }; First = { @('Dockerfile', '/py-basic-jupyterlab:2.12.0') } }
    )

}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry, renku, kubernetes, docker

    function Copy-TestImage([string] $From, [string] $To) {
        $skopeo = Get-Command skopeo -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $skopeo) {
            throw 'skopeo is needed to copy the test images under long names (apt-get install skopeo).'
        }

        & $skopeo.Source copy --quiet --src-tls-verify=false --dest-tls-verify=false "docker://$From" "docker://$To" 2>&1 | Write-Verbose
        if ($LASTEXITCODE -ne 0) { throw "skopeo could not copy $From to $To." }
    }

    # One set of names for the process that runs the tests and for the pwsh inside tmux.
    $vars = [ordered]@{}
    if ($parts.Registry) {
        $registryHost = $parts.Registry.host
        $vars.repository = "$registryHost/swissdatasciencecenter/renku/py-basic-jupyterlab"
        $vars.long = "$($vars.repository):2.10.3"
        $vars.latest = "$($vars.repository):latest"
        Copy-TestImage $parts.Registry.images.compliant $vars.long
        Copy-TestImage $parts.Registry.images.compliant "$($vars.repository):2.11.0"
        Copy-TestImage $parts.Registry.images.root $vars.latest
    }

    if ($parts.Renku) {
        $vars.renku = $parts.Renku.uri
        $vars.token = (Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/token?user=admin").access_token
        $vars.environmentName = 'Python 3.12 / JupyterLab'
        Connect-RenkuInstance -Uri $vars.renku -AccessToken (ConvertTo-SecureString $vars.token -AsPlainText -Force) | Out-Null
        $environment = New-RenkuGlobalEnvironment -Name $vars.environmentName -Image $vars.long -Port 8888 -DefaultUrl '/lab'
        Invoke-RestMethod -Method Post -Uri "$($vars.renku)_test/launchers?name=Notebook%20for%20the%20course&environment_id=$($environment.Id)" | Out-Null
        $vars.environmentsFile = Join-Path $TestDrive 'environments.yaml'
        Export-RenkuGlobalEnvironment -Path $vars.environmentsFile
        (Get-Content -Raw $vars.environmentsFile) -replace 'port: 8888', 'port: 8889' | Set-Content -Path $vars.environmentsFile
    }

    if ($parts.Kubernetes) {
        $vars.kubeconfig = $parts.Kubernetes.kubeconfig
    }

    if ($parts.Docker) {
        $vars.dockerHost = $parts.Docker.host
        $vars.context = Join-Path $TestDrive 'context'
        New-Item -ItemType Directory -Path $vars.context | Out-Null
        "FROM $($parts.Docker.images.base)`nUSER 1000" | Set-Content -Path (Join-Path $vars.context 'Dockerfile')
    }

    foreach ($name in $vars.Keys) {
        Set-Variable -Name $name -Value $vars[$name]
    }

    function Get-TableHeader([string] $Type) {
        $view = Get-FormatData -TypeName "Renku.PowerShell.$Type" | ForEach-Object FormatViewDefinition |
            Where-Object { $_.Control -is [System.Management.Automation.TableControl] } | Select-Object -First 1
        @($view.Control.Headers | ForEach-Object Label)
    }

    function Split-Section([string] $Text) {
        # The text of each case, after its '### <name>' line.
        $sections = @{}
        foreach ($piece in $Text -split '(?m)^### ') {
            $newline = $piece.IndexOf("`n")
            if ($newline -gt 0) {
                $sections[$piece.Substring(0, $newline).Trim()] = $piece.Substring($newline + 1)
            }
        }

        $sections
    }

    function Assert-View([string] $Text, [hashtable] $Case, [int] $Width) {
        $lines = @($Text -split "\r?\n" | ForEach-Object TrimEnd)
        $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^-{2,}(\s+-+)*$' })
        $dashes | Should -BeGreaterThan 0 -Because "$($Case.Name) is shown as a table at $Width columns:`n$Text"
        $headerLine = $lines[$dashes - 1]
        $headers = Get-TableHeader $Case.Type
        $expectedHeaders = if ($Width -ge 120) { $headers } else { $headers | Select-Object -First 2 }
        foreach ($header in $expectedHeaders) {
            $headerLine | Should -Match "(^|\s)$([regex]::Escape($header))(\s|$)" -Because "the header $header is never cut or wrapped ($($Case.Name), $Width columns):`n$Text"
        }

        $lines | Where-Object { $_.Length -gt $Width } | Should -BeNullOrEmpty -Because "no line is wider than $Width columns"
        $values = if ($Width -ge 120) { & $Case.Whole } else { & $Case.First }
        $body = ($lines | Select-Object -Skip ($dashes + 1)) -join "`n"
        foreach ($value in $values) {
            $pattern = if ($value -is [regex]) { "(?m)$value" } else { "$([regex]::Escape($value))(?!…)" }
            $body | Should -Match $pattern -Because "'$value' appears whole in $($Case.Name) at $Width columns:`n$Text"
        }
    }

    function Invoke-Case([hashtable] $Case) {
        & ([scriptblock]::Create($Case.Command)) 3>$null 6>$null
    }

    # Runs every case in a pwsh inside a real terminal of the given size and returns what it showed.
    function Invoke-InTerminal([int] $Width, [hashtable[]] $Cases) {
        $tmux = Get-Command tmux -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
        if (-not $tmux) {
            throw 'tmux is needed to render the views in a real terminal (apt-get install tmux).'
        }

        $folder = Join-Path $TestDrive "terminal-$Width"
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $done = Join-Path $folder 'done'
        $available = @($Cases | Where-Object { $needs = $_.Needs; -not @($needs | Where-Object { -not $parts.PSObject.Properties[$_]?.Value -or $parts.Missing.PSObject.Properties[$_] }) })
        @{ vars = $vars; cases = @($available | ForEach-Object { @{ name = $_.Name; command = $_.Command } }); module = (Get-StagedModulePath); done = $done } |
            ConvertTo-Json -Depth 5 | Set-Content -Path (Join-Path $folder 'input.json')
        $script = Join-Path $folder 'render.ps1'
        @'
$in = Get-Content -Raw (Join-Path $PSScriptRoot 'input.json') | ConvertFrom-Json
Import-Module $in.module
foreach ($p in $in.vars.PSObject.Properties) { Set-Variable -Name $p.Name -Value $p.Value }
if ($renku) { Connect-RenkuInstance -Uri $renku -AccessToken (ConvertTo-SecureString $token -AsPlainText -Force) | Out-Null }
Clear-Host
foreach ($case in $in.cases) {
    [Console]::Out.WriteLine("### $($case.name)")
    try { & ([scriptblock]::Create($case.command)) 3>$null 6>$null | Out-Default } catch { [Console]::Out.WriteLine("FAILED: $_") }
}
Set-Content -Path $in.done -Value 'done'
'@ | Set-Content -Path $script
        $socket = "renku-views-$PID-$Width"
        $config = Join-Path $folder 'tmux.conf'
        "set -g history-limit 20000`nset -g remain-on-exit on" | Set-Content -Path $config
        $pwsh = (Get-PwshCommand | ForEach-Object { "'$_'" }) -join ' '
        & $tmux.Source -L $socket -f $config new-session -d -x $Width -y 50 "$pwsh -NoProfile -NoLogo -File '$script'"
        try {
            $deadline = [DateTime]::UtcNow.AddMinutes(5)
            while (-not (Test-Path $done) -and [DateTime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 500
            }

            Test-Path $done | Should -BeTrue -Because 'the pwsh in the terminal finished within 5 minutes'
            Start-Sleep -Milliseconds 500
            (& $tmux.Source -L $socket capture-pane -p -S - -E -) -join "`n"
        }
        finally {
            & $tmux.Source -L $socket kill-server 2>$null
        }
    }
}

AfterAll {
    Disconnect-RenkuInstance -ErrorAction SilentlyContinue
    Stop-TestPart $parts
}

Describe 'Default views through Out-String' {
    It '<Name> keeps its key values whole at 120 columns and its first two at 80' -ForEach $cases {
        foreach ($part in $Needs) { Assert-TestPart $parts $part }
        $output = @(Invoke-Case $_)
        $output | Should -Not -BeNullOrEmpty -Because "$Name writes objects"
        $output[0].GetType().Name | Should -Be $Type
        Assert-View -Text ($output | Out-String -Width 120) -Case $_ -Width 120
        Assert-View -Text ($output | Out-String -Width 80) -Case $_ -Width 80
    }
}

Describe 'Default views in a real terminal of <Width> columns' -ForEach @(@{ Width = 120; All = $cases }, @{ Width = 80; All = $cases }) {
    BeforeAll {
        $width = $Width
        $sections = Split-Section (Invoke-InTerminal -Width $Width -Cases $All)
    }

    It '<Name> reads well' -ForEach $cases {
        foreach ($part in $Needs) { Assert-TestPart $parts $part }
        $sections.ContainsKey($Name) | Should -BeTrue -Because "the terminal showed the output of $Name"
        $sections[$Name] | Should -Not -Match '^FAILED:'
        Assert-View -Text $sections[$Name] -Case $_ -Width $width
    }
}
