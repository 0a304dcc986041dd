# Get-RenkuResourcePool against the fake Renku data API (its exchanges checked against crc_api.spec.yaml).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name renku
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuResourcePool' {
    BeforeAll {
        if (-not $parts.Missing.PSObject.Properties['renku']) {
            Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
            $default = Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/resource_pools?name=Default&platform=linux/amd64&is_default=true&classes=small,medium"
            $arm = Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/resource_pools?name=ARM%20nodes&platform=linux/arm64&cpu_limit_factor=2&classes=arm-small"
        }
    }

    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'gets every pool with its platform, quota and classes' {
        $pools = Get-RenkuResourcePool
        $pools | Should -HaveCount 2
        $pools | Should -BeOfType ([Renku.PowerShell.ResourcePool])
        $pools.Platform | Should -Be @('linux/amd64', 'linux/arm64')
        ($pools | Where-Object IsDefault).Name | Should -Be 'Default'
        $pools[1].CpuLimitFactor | Should -Be 2
        $pools[1].Quota.Cpu | Should -BeGreaterThan 0
        $pools[0].Classes | Should -BeOfType ([Renku.PowerShell.ResourceClass])
        $pools[0].DefaultClass.Name | Should -Be 'small'
        (Get-RenkuTestState $parts).violations | Should -BeNullOrEmpty
    }

    It 'filters by platform, by name and by id' {
        (Get-RenkuResourcePool -Platform linux/arm64).Name | Should -Be 'ARM nodes'
        (Get-RenkuResourcePool 'Def*').Id | Should -Be $default.id
        (Get-RenkuResourcePool -Id $arm.id).Name | Should -Be 'ARM nodes'
        ($arm | Select-Object @{ n = 'PoolId'; e = { $_.id } } | Get-RenkuResourcePool).Name | Should -Be 'ARM nodes'
    }

    It 'reports a pool that does not exist with ResourcePoolNotFound' {
        { Get-RenkuResourcePool -Id 4242 -ErrorAction Stop } |
            Should -Throw -ErrorId 'ResourcePoolNotFound,Renku.PowerShell.Commands.Pools.GetRenkuResourcePoolCommand'
    }

    It 'shows pools and classes in tables whose headers are properties' {
        $table = Get-RenkuResourcePool | Format-Table | Out-String -Width 120
        $table | Should -Match 'Platform'
        $table | Should -Match 'linux/arm64'
        $classes = Get-RenkuResourcePool | Select-Object -ExpandProperty Classes | Format-Table | Out-String -Width 120
        $classes | Should -Match 'PoolName'
        $classes | Should -Match 'arm-small'
    }

    It 'shows where launchers run, app and custom-frontend launchers included, as data' {
        $environment = New-RenkuGlobalEnvironment -Name 'Pool test' -Image 'python:3.12'
        $armClass = $arm.class_ids[0]
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/launchers?name=On%20ARM&environment_id=$($environment.Id)&resource_class_id=$armClass" | Out-Null
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/launchers?name=App&environment_id=$($environment.Id)&launcher_type=app&no_resource_class=true" | Out-Null
        $launchers = Get-RenkuSessionLauncher -EnvironmentId $environment.Id
        ($launchers | Where-Object Name -EQ 'On ARM').ResourceClassId | Should -Be $armClass
        ($launchers | Where-Object Name -EQ 'App').LauncherType | Should -Be 'app'
        ($launchers | Where-Object Name -EQ 'App').ResourceClassId | Should -BeNullOrEmpty

        $repository = [uri]::EscapeDataString('https://gitlab.example.org/team/app.git')
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/build_launchers?name=Custom%20app&repository=$repository&image=harbor.example.org/team/app:1&launcher_type=app&frontend_variant=custom" | Out-Null
        $custom = Get-RenkuSessionLauncher -Name 'Custom app'
        $custom.LauncherType | Should -Be 'app'
        $custom.FrontendVariant | Should -Be 'custom'
        ($custom | Format-Table | Out-String -Width 120) | Should -Match 'Custom app'
    }
}
