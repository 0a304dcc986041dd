#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

# Get-RenkuEnvironmentReport and Export-RenkuEnvironmentReport against the fake Renku deployment,
# started as a process. The images live on a registry that is not there (a closed loopback port),
# so the rows say what could not be checked instead of failing. Build first (dotnet build).
BeforeAll {
    Import-Module "$PSScriptRoot/../../out/Renku.PowerShell" -Force

    $project = Join-Path $PSScriptRoot '../TestServers/Renku.PowerShell.TestServers'
    $startInfo = [System.Diagnostics.ProcessStartInfo]::new('dotnet', "run --project `"$project`" -- --port 0 --device-interval 0")
    $startInfo.RedirectStandardOutput = $true
    $startInfo.RedirectStandardInput = $true
    $startInfo.UseShellExecute = $false
    $script:serverProcess = [System.Diagnostics.Process]::Start($startInfo)

    $script:baseUri = $null
    $deadline = [DateTime]::UtcNow.AddMinutes(3)
    while (-not $script:baseUri -and [DateTime]::UtcNow -lt $deadline) {
        $line = $script:serverProcess.StandardOutput.ReadLine()
        if ($null -eq $line) { break }
        if ($line -match '^RENKU_TEST_SERVER_URL=(.+)$') { $script:baseUri = $Matches[1] }
    }
    if (-not $script:baseUri) { throw 'The Renku test server did not start.' }

    $answer = Invoke-RestMethod -Method Post -Uri "$($script:baseUri)_test/token?user=admin"
    Connect-RenkuInstance -Uri $script:baseUri -AccessToken (ConvertTo-SecureString $answer.access_token -AsPlainText -Force) | Out-Null
    New-RenkuGlobalEnvironment -Name 'Pester lab' -Image '127.0.0.1:9/team/lab:1.0.0' | Out-Null
    New-RenkuGlobalEnvironment -Name 'Pester <other>' -Image '127.0.0.1:9/team/other:2.0.0' | Out-Null

    $script:work = Join-Path ([System.IO.Path]::GetTempPath()) ("renku-ps-pester-report-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
    New-Item -ItemType Directory -Path $script:work | Out-Null
}

AfterAll {
    Disconnect-RenkuInstance -ErrorAction SilentlyContinue
    if ($script:serverProcess -and -not $script:serverProcess.HasExited) {
        $script:serverProcess.StandardInput.Close()
        if (-not $script:serverProcess.WaitForExit(10000)) { $script:serverProcess.Kill() }
    }
    Remove-Item -Recurse -Force -Path $script:work -ErrorAction SilentlyContinue
}

Describe 'Get-RenkuEnvironmentReport' {
    It 'returns one typed row per environment, saying what could not be checked' {
        $rows = @(Get-RenkuEnvironmentReport | Where-Object Name -like 'Pester*')
        $rows.Count | Should -Be 2
        $rows[0] | Should -BeOfType ([Renku.PowerShell.EnvironmentReport])
        $rows | ForEach-Object {
            $_.ComplianceVerdict | Should -Be ([Renku.PowerShell.ComplianceVerdict]::NotChecked)
            $_.UpgradeStatus | Should -Be 'RegistryError'
            $_.Unused | Should -BeTrue
            $_.Status | Should -Be ([Renku.PowerShell.ReportStatus]::Unknown)
        }
    }

    It 'reports only the environments piped in' {
        $rows = @(Get-RenkuGlobalEnvironment -Name 'Pester lab' | Get-RenkuEnvironmentReport)
        $rows.Count | Should -Be 1
        $rows[0].Name | Should -Be 'Pester lab'
    }
}

Describe 'Export-RenkuEnvironmentReport' {
    It 'writes one self-contained HTML page with a row per environment' {
        $path = Join-Path $script:work 'environments.html'
        $file = Get-RenkuGlobalEnvironment -Name 'Pester*' | Get-RenkuEnvironmentReport | Export-RenkuEnvironmentReport -Path $path -PassThru
        $file.FullName | Should -Be $path
        $html = Get-Content -Raw -Path $path
        ([regex]::Matches($html, '<tbody class="environment"')).Count | Should -Be 2
        $html | Should -Match 'Content-Security-Policy'
        $html | Should -Not -Match '<script src|<link '
        $html | Should -Match 'Pester &lt;other&gt;'
    }

    It 'refuses to replace a file with -NoClobber' {
        $path = Join-Path $script:work 'keep.html'
        Set-Content -Path $path -Value 'keep'
        { Get-RenkuGlobalEnvironment -Name 'Pester lab' | Get-RenkuEnvironmentReport | Export-RenkuEnvironmentReport -Path $path -NoClobber } |
            Should -Throw -ErrorId 'ReportFileExists,*'
        Get-Content -Raw -Path $path | Should -Match '^keep'
    }
}
