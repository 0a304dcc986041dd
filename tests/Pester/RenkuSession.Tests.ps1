# Get-RenkuSession against the fake Kubernetes API, seeded with the sessions the parts list.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name kubernetes
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuSession' {
    BeforeEach {
        Assert-TestPart $parts kubernetes
        $kubeconfig = $parts.Kubernetes.kubeconfig
        $seeded = $parts.Kubernetes.sessions
    }

    It 'lists every session as a typed object' {
        $sessions = @(Get-RenkuSession -Kubeconfig $kubeconfig)
        $sessions | Should -HaveCount $seeded.Count
        $sessions | Should -BeOfType ([Renku.PowerShell.RenkuSession])
        $sessions.Name | Sort-Object | Should -Be ($seeded.name | Sort-Object)
        $sessions[0].Namespace | Should -Be $parts.Kubernetes.namespace
    }

    It 'filters by state' {
        $failed = @(Get-RenkuSession -Kubeconfig $kubeconfig -State Failed)
        $failed | Should -HaveCount @($seeded | Where-Object state -EQ 'Failed').Count
        $failed.State | Select-Object -Unique | Should -Be 'Failed'
        $failed.RestartCount | ForEach-Object { $_ | Should -BeGreaterThan 0 }
    }

    It 'selects the sessions of piped launchers' {
        $launcherId = $seeded[0].launcherId
        $launcher = [pscustomobject]@{ PSTypeName = 'Renku.PowerShell.SessionLauncher'; Id = $launcherId; EnvironmentId = 'ENV1'; ProjectId = 'P' }
        $sessions = @($launcher | Get-RenkuSession -Kubeconfig $kubeconfig)
        $sessions | Should -HaveCount @($seeded | Where-Object launcherId -EQ $launcherId).Count
        $sessions.LauncherId | Select-Object -Unique | Should -Be $launcherId
    }

    It 'selects the sessions of a piped environment by image' {
        $image = $seeded[0].image
        $environment = [pscustomobject]@{ PSTypeName = 'Renku.PowerShell.GlobalEnvironment'; Id = 'ENV1'; Name = 'Python'; Image = $image }
        @($environment | Get-RenkuSession -Kubeconfig $kubeconfig) | Should -HaveCount @($seeded | Where-Object image -EQ $image).Count
    }

    It 'filters images with wildcards' {
        @(Get-RenkuSession -Kubeconfig $kubeconfig -Image '*py-basic-vscodium*') | Should -HaveCount @($seeded | Where-Object image -Like '*py-basic-vscodium*').Count
        @(Get-RenkuSession -Kubeconfig $kubeconfig -Image '*rstudio*') | Should -HaveCount 0
    }

    It 'says KubernetesConfigurationInvalid for an unknown context' {
        { Get-RenkuSession -Kubeconfig $kubeconfig -Context 'no-such-context' -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubernetesConfigurationInvalid,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }

    It 'says KubernetesUnreachable when nothing listens' {
        $unreachable = Join-Path $TestDrive 'unreachable'
        (Get-Content $kubeconfig -Raw) -replace 'http://127\.0\.0\.1:\d+', "http://127.0.0.1:$(Get-FreePort)" | Set-Content $unreachable
        { Get-RenkuSession -Kubeconfig $unreachable -ErrorAction Stop } |
            Should -Throw -ErrorId 'KubernetesUnreachable,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }

    It 'says UnsupportedSessionInput for other piped objects' {
        $result = [pscustomobject]@{ Name = 'x' } | Get-RenkuSession -Kubeconfig $kubeconfig -ErrorVariable problems -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $problems[0].FullyQualifiedErrorId | Should -Be 'UnsupportedSessionInput,Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand'
    }
}
