# The global environment cmdlets (Get, New, Set, Remove, Export, Sync) against the fake Renku data
# API, which checks every exchange against Renku's OpenAPI specs.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name renku
    $image = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3'
    if (-not $parts.Missing.PSObject.Properties['renku']) {
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
    }
}

AfterAll {
    Disconnect-RenkuInstance -ErrorAction SilentlyContinue
    Stop-TestPart $parts
}

Describe 'New-RenkuGlobalEnvironment' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'creates an environment with Renku''s settings for its images' {
        $environment = New-RenkuGlobalEnvironment -Name 'Python Pester' -Image $image
        $environment | Should -BeOfType ([Renku.PowerShell.GlobalEnvironment])
        $environment.Port | Should -Be 8888
        $environment.DefaultUrl | Should -Be '/'
        $environment.WorkingDirectory | Should -Be '/home/renku/work'
    }

    It 'names the parameter of a bad value and sends nothing' {
        $before = (Get-RenkuTestState $parts).writes
        New-RenkuGlobalEnvironment -Name 'Bad' -Image $image -Port 65400 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidEnvironmentPort,Renku.PowerShell.Commands.Environments.NewRenkuGlobalEnvironmentCommand'
        (Get-RenkuTestState $parts).writes | Should -Be $before -Because 'bad input is refused before anything is sent'
    }

    It 'sends nothing under -WhatIf' {
        $before = (Get-RenkuTestState $parts).writes
        New-RenkuGlobalEnvironment -Name 'Never' -Image $image -WhatIf
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }
}

Describe 'Get-RenkuGlobalEnvironment' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'gets environments by name with wildcards and by id' {
        $byName = Get-RenkuGlobalEnvironment -Name 'Python P*'
        $byName.Name | Should -Be 'Python Pester'
        (Get-RenkuGlobalEnvironment -Id $byName.Id).Name | Should -Be 'Python Pester'
    }

    It 'reports a missing id as EnvironmentNotFound' {
        Get-RenkuGlobalEnvironment -Id '01HZ5Q3K8M0000000000000000' -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentNotFound,Renku.PowerShell.Commands.Environments.GetRenkuGlobalEnvironmentCommand'
    }
}

Describe 'Set-RenkuGlobalEnvironment' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'changes piped environments and passes them through' {
        $changed = Get-RenkuGlobalEnvironment -Name 'Python P*' | Set-RenkuGlobalEnvironment -Port 8889 -PassThru
        $changed.Port | Should -Be 8889
        (Get-RenkuGlobalEnvironment -Id $changed.Id).Port | Should -Be 8889
    }

    It 'sends no write under -WhatIf' {
        $before = (Get-RenkuTestState $parts).writes
        Get-RenkuGlobalEnvironment | Set-RenkuGlobalEnvironment -Port 9000 -WhatIf
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }
}

Describe 'Remove-RenkuGlobalEnvironment' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'removes an unused environment' {
        $environment = New-RenkuGlobalEnvironment -Name 'Short lived' -Image $image
        Remove-RenkuGlobalEnvironment -Id $environment.Id -Force
        Get-RenkuGlobalEnvironment -Id $environment.Id -ErrorAction SilentlyContinue -ErrorVariable failures | Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentNotFound,Renku.PowerShell.Commands.Environments.GetRenkuGlobalEnvironmentCommand'
        (Get-RenkuTestState $parts).violations | Should -BeNullOrEmpty
    }

    It 'refuses to remove an environment a launcher uses' {
        $environment = New-RenkuGlobalEnvironment -Name 'In use' -Image $image
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/launchers?name=Notebook&environment_id=$($environment.Id)" | Out-Null
        Remove-RenkuGlobalEnvironment -Id $environment.Id -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentInUse,Renku.PowerShell.Commands.Environments.RemoveRenkuGlobalEnvironmentCommand'
        Get-RenkuGlobalEnvironment -Id $environment.Id | Should -Not -BeNullOrEmpty
    }

    It 'reports a missing id as EnvironmentNotFound' {
        Remove-RenkuGlobalEnvironment -Id '01HZ5Q3K8M0000000000000000' -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentNotFound,Renku.PowerShell.Commands.Environments.RemoveRenkuGlobalEnvironmentCommand'
    }

    It 'sends no write under -WhatIf' {
        $before = (Get-RenkuTestState $parts).writes
        # The environment a launcher uses is refused with an error even under -WhatIf; the others are only shown.
        Get-RenkuGlobalEnvironment | Remove-RenkuGlobalEnvironment -WhatIf -ErrorAction SilentlyContinue
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }
}

Describe 'Export-RenkuGlobalEnvironment and Sync-RenkuGlobalEnvironment' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'exports YAML that syncs back with every environment unchanged' {
        $path = Join-Path $TestDrive 'environments.yaml'
        Export-RenkuGlobalEnvironment -Path $path | Should -BeNullOrEmpty -Because 'an exporter writes nothing without -PassThru'
        $path | Should -Exist
        Get-Content -Raw $path | Should -Match 'container_image: ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3'
        $changes = Sync-RenkuGlobalEnvironment -Path $path -Prune
        $changes | Should -BeOfType ([Renku.PowerShell.EnvironmentChange])
        $changes.Action | Select-Object -Unique | Should -Be 'Unchanged'
    }

    It 'plans a sync under -WhatIf without writing' {
        $path = Join-Path $TestDrive 'wanted.json'
        '{ "environments": [ { "name": "From file", "container_image": "python:3.12" } ] }' | Set-Content -Path $path
        $before = (Get-RenkuTestState $parts).writes
        $plan = Sync-RenkuGlobalEnvironment -Path $path -WhatIf
        $plan.Action | Should -Be 'Create'
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }

    It 'creates what the file adds' {
        $path = Join-Path $TestDrive 'added.json'
        Export-RenkuGlobalEnvironment -Path $path
        $file = Get-Content -Raw $path | ConvertFrom-Json
        $file.environments += [pscustomobject]@{ name = 'Added by sync'; container_image = 'python:3.12.7' }
        $file | ConvertTo-Json -Depth 5 | Set-Content -Path $path
        $changes = Sync-RenkuGlobalEnvironment -Path $path
        ($changes | Where-Object Action -EQ 'Create').Name | Should -Be 'Added by sync'
        (Get-RenkuGlobalEnvironment -Name 'Added by sync').Image | Should -Be 'python:3.12.7'
    }

    It 'kept every exchange within the OpenAPI contract' {
        (Get-RenkuTestState $parts).violations | Should -BeNullOrEmpty
    }
}
