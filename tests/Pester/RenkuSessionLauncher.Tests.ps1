# Get-RenkuSessionLauncher against the fake Renku data API.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name renku
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuSessionLauncher' {
    BeforeAll {
        if (-not $parts.Missing.PSObject.Properties['renku']) {
            Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
            $environment = New-RenkuGlobalEnvironment -Name 'Launcher test' -Image 'python:3.12'
            $other = New-RenkuGlobalEnvironment -Name 'Unused' -Image 'python:3.13'
            foreach ($name in 'Notebook', 'Teaching') {
                Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/launchers?name=$name&environment_id=$($environment.Id)" | Out-Null
            }
        }
    }

    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'gets the launchers that use an environment' {
        $launchers = Get-RenkuSessionLauncher -EnvironmentId $environment.Id
        $launchers | Should -HaveCount 2
        $launchers | Should -BeOfType ([Renku.PowerShell.SessionLauncher])
        $launchers.Name | Sort-Object | Should -Be @('Notebook', 'Teaching')
    }

    It 'takes environments from the pipeline' {
        @($environment, $other | Get-RenkuSessionLauncher).Count | Should -Be 2 -Because 'only the first environment has launchers'
    }

    It 'filters by name with wildcards' {
        (Get-RenkuSessionLauncher -EnvironmentId $environment.Id -Name 'Note*').Name | Should -Be 'Notebook'
    }

    It 'shows a launcher whose environment was never built for what it is' {
        $repository = [uri]::EscapeDataString('https://gitlab.example.org/team/analysis.git')
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/build_launchers?name=Fresh%20build&repository=$repository&launcher_type=non-interactive" | Out-Null
        $launcher = Get-RenkuSessionLauncher -Name 'Fresh build'
        $launcher.IsBuilt | Should -BeTrue
        $launcher.EnvironmentImage | Should -BeNullOrEmpty
        $launcher.LauncherType | Should -Be 'non-interactive'
        $table = $launcher | Format-Table | Out-String -Width 120
        $table | Should -Match 'not built yet: https://git'
        $table | Should -Match 'team/analysis\.git\)' -Because 'a long repository is shortened in the middle, never at its end'
    }
}
