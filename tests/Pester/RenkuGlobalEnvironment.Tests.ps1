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

    It 'reports every problem of a file in one run, each its own error, then one summary, sending nothing' {
        $path = Join-Path $TestDrive 'four-mistakes.yaml'
        @(
            'environments:'
            '  - name: Python Pester'
            '    container_image: python:3.12'
            '    prot: 8888'
            '  - name: No image'
            '    port: 8787'
            '  - name: Python Pester'
            '    container_image: python:3.11'
            '    uid: thousand'
        ) | Set-Content -Path $path
        $before = (Get-RenkuTestState $parts).writes
        $summary = $null
        try { Sync-RenkuGlobalEnvironment -Path $path -ErrorVariable problems -ErrorAction Continue 2>$null } catch { $summary = $_ }
        $ids = @($problems | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object FullyQualifiedErrorId | Select-Object -Unique)
        $ids | Should -Be @(
            'EnvironmentFileUnknownKey,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
            'InvalidEnvironmentImage,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
            'DuplicateEnvironmentName,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
            'EnvironmentFileWrongType,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
        )
        $summary.FullyQualifiedErrorId | Should -Be 'EnvironmentFileInvalid,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
        $first = $problems | Where-Object { $_.FullyQualifiedErrorId -like 'EnvironmentFileUnknownKey,*' } | Select-Object -First 1
        $first.TargetObject | Should -BeOfType ([Renku.PowerShell.EnvironmentFileProblem])
        $first.TargetObject.Line | Should -Be 4
        "$first" | Should -BeLike "*four-mistakes.yaml, line 4: environments``[0``] (name: Python Pester) has the unknown key 'prot': did you mean 'port'?*"
        $missing = $problems | Where-Object { $_.FullyQualifiedErrorId -like 'InvalidEnvironmentImage,*' } | Select-Object -First 1
        "$missing" | Should -BeLike '*container_image is missing*'
        "$missing" | Should -Not -BeLike '*characters*'
        $duplicate = $problems | Where-Object { $_.FullyQualifiedErrorId -like 'DuplicateEnvironmentName,*' } | Select-Object -First 1
        "$duplicate" | Should -BeLike "*line 7:*is also the name of environments``[0``] (*four-mistakes.yaml, line 2)*"
        $problems | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] } | ForEach-Object { "$_" | Should -Not -Match "`n" -Because 'each message is one paragraph that the host wraps' }
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }

    It 'kept every exchange within the OpenAPI contract' {
        (Get-RenkuTestState $parts).violations | Should -BeNullOrEmpty
    }
}

Describe 'Environments by name' {
    BeforeAll {
        function Add-Environment([string] $Name) {
            (Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/environments?name=$([uri]::EscapeDataString($Name))&image=python:3.12&port=8888").id
        }
    }

    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'sets and removes by name, given or piped as text or as a Name property, and by id in the name''s place' {
        $lab = Add-Environment 'Python Lab'
        (Set-RenkuGlobalEnvironment 'Python Lab' -Port 8890 -PassThru).Port | Should -Be 8890
        ('Python Lab' | Set-RenkuGlobalEnvironment -Port 8891 -PassThru).Port | Should -Be 8891
        ([pscustomobject]@{ Name = 'Python Lab' } | Set-RenkuGlobalEnvironment -Port 8892 -PassThru).Port | Should -Be 8892
        (Set-RenkuGlobalEnvironment $lab -Port 8893 -PassThru).Id | Should -Be $lab
        (Set-RenkuGlobalEnvironment -Name 'Python Lab' -NewName 'Python Lab 2' -PassThru).Name | Should -Be 'Python Lab 2'

        Add-Environment 'Gone by text' | Out-Null
        Add-Environment 'Gone by object' | Out-Null
        'Gone by text' | Remove-RenkuGlobalEnvironment -Force
        [pscustomobject]@{ Name = 'Gone by object' } | Remove-RenkuGlobalEnvironment -Force
        Remove-RenkuGlobalEnvironment 'Python Lab 2' -Force
        Get-RenkuGlobalEnvironment -Name 'Gone by*', 'Python Lab 2' -IncludeArchived | Should -BeNullOrEmpty
    }

    It 'refuses an ambiguous name with EnvironmentNameAmbiguous listing the ids, changing nothing' {
        $ids = 1..2 | ForEach-Object { Add-Environment 'Twin' }
        $before = (Get-RenkuTestState $parts).writes
        Remove-RenkuGlobalEnvironment 'Twin' -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        Set-RenkuGlobalEnvironment 'Twin' -Port 9000 -ErrorAction SilentlyContinue -ErrorVariable +failures
        $failures.FullyQualifiedErrorId | Should -Be @(
            'EnvironmentNameAmbiguous,Renku.PowerShell.Commands.Environments.RemoveRenkuGlobalEnvironmentCommand'
            'EnvironmentNameAmbiguous,Renku.PowerShell.Commands.Environments.SetRenkuGlobalEnvironmentCommand'
        )
        foreach ($id in $ids) { "$($failures[0])" | Should -BeLike "*$id*" }
        (Get-RenkuTestState $parts).writes | Should -Be $before
    }

    It 'reports a name no environment has as EnvironmentNotFound' {
        Remove-RenkuGlobalEnvironment 'No such environment' -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'EnvironmentNotFound,Renku.PowerShell.Commands.Environments.RemoveRenkuGlobalEnvironmentCommand'
    }

    It 'refuses a name that exists in New and Set -NewName unless -AllowDuplicateName' {
        Add-Environment 'Taken' | Out-Null
        $other = Add-Environment 'Other'
        $before = (Get-RenkuTestState $parts).writes
        New-RenkuGlobalEnvironment -Name 'Taken' -Image $image -ErrorAction SilentlyContinue -ErrorVariable failures
        Set-RenkuGlobalEnvironment -Id $other -NewName 'Taken' -ErrorAction SilentlyContinue -ErrorVariable +failures
        $failures.FullyQualifiedErrorId | Should -Be @(
            'EnvironmentNameTaken,Renku.PowerShell.Commands.Environments.NewRenkuGlobalEnvironmentCommand'
            'EnvironmentNameTaken,Renku.PowerShell.Commands.Environments.SetRenkuGlobalEnvironmentCommand'
        )
        (Get-RenkuTestState $parts).writes | Should -Be $before
        (New-RenkuGlobalEnvironment -Name 'Taken' -Image $image -AllowDuplicateName).Name | Should -Be 'Taken'
        @(Get-RenkuGlobalEnvironment -Name 'Taken').Count | Should -Be 2
    }

    It 'completes names and ids for Set and Remove' {
        $id = Add-Environment 'Completion Lab'
        function Complete([string] $Line) { (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.CompletionText }
        Complete 'Remove-RenkuGlobalEnvironment -Name Completion' | Should -Contain "'Completion Lab'"
        Complete 'Set-RenkuGlobalEnvironment Completion' | Should -Contain "'Completion Lab'"
        Complete 'Set-RenkuGlobalEnvironment -Id Completion' | Should -Be @($id)
        Complete "Remove-RenkuGlobalEnvironment -Id $($id.Substring(0, 20))" | Should -Be @($id)
    }
}

Describe 'Removals and prunes need a confirmation a non-interactive run cannot give by itself' {
    # A fake Renku of its own, so that the fleet (and the share a prune takes) is known.
    BeforeAll {
        $fleet = Start-TestPart -Name renku
        function Add-FleetEnvironment([string] $Name) {
            (Invoke-RestMethod -Method Post -Uri "$($fleet.Renku.uri)_test/environments?name=$([uri]::EscapeDataString($Name))&image=python:3.12&port=8888").id
        }

        function Invoke-NonInteractive([string] $Script) {
            # A fresh pwsh -NonInteractive, as a runbook or a CI step runs it, connected to this fleet.
            $token = Invoke-RestMethod -Method Post -Uri "$($fleet.Renku.uri)_test/token?user=admin"
            $command = "Import-Module '$(Get-StagedModulePath)'; Connect-RenkuInstance -Uri `$env:RENKU_TEST_URI -AccessToken (ConvertTo-SecureString `$env:RENKU_TEST_TOKEN -AsPlainText -Force) | Out-Null; try { $Script } catch { 'ERROR ' + `$_.FullyQualifiedErrorId; 'SAID ' + `$_.ToString(); 'FIX ' + `$_.ErrorDetails.RecommendedAction }"
            $started = [Diagnostics.Stopwatch]::StartNew()
            $result = Invoke-ChildPwsh -Command $command -Environment @{ RENKU_TEST_URI = $fleet.Renku.uri; RENKU_TEST_TOKEN = $token.access_token } -Timeout ([TimeSpan]::FromMinutes(2))
            $result | Add-Member -NotePropertyName Seconds -NotePropertyValue $started.Elapsed.TotalSeconds -PassThru
        }

        function Get-FleetWrites {
            # How many writes the fleet's fake Renku has taken so far.
            (Get-RenkuTestState $fleet).writes
        }

        function Invoke-Refused([string] $Script, [string] $ErrorId, [string] $Because = 'a refused run sends nothing') {
            # Invoke-NonInteractive for a run that must stop with the error given (the fully
            # qualified id) and send nothing.
            $before = Get-FleetWrites
            $run = Invoke-NonInteractive $Script
            $run.Output | Should -Match ('ERROR ' + [regex]::Escape($ErrorId))
            (Get-FleetWrites) | Should -Be $before -Because $Because
            $run
        }

        function Write-Fleet([string[]] $Names) {
            $path = Join-Path $TestDrive "fleet-$([guid]::NewGuid().ToString('N')).yaml"
            $entries = $Names | ForEach-Object { "  - name: $_`n    container_image: python:3.12`n    default_url: /`n    working_directory: /home/renku/work`n    mount_directory: /home/renku/work`n" }
            "environments:`n$(-join $entries)" | Set-Content -Path $path -NoNewline
            $path
        }

        if (-not $fleet.Missing.PSObject.Properties['renku']) {
            $keep = 'Keep 1', 'Keep 2', 'Keep 3' | ForEach-Object { Add-FleetEnvironment $_ }
        }
    }

    AfterAll {
        Stop-TestPart $fleet
    }

    BeforeEach {
        Assert-TestPart $fleet renku
    }

    It 'refuses Sync -Prune -Remove in pwsh -NonInteractive with ConfirmationRequired, sending nothing' {
        $doomed = Add-FleetEnvironment 'Doomed'
        $path = Write-Fleet 'Keep 1', 'Keep 2', 'Keep 3'
        $run = Invoke-Refused "Sync-RenkuGlobalEnvironment -Path '$path' -Prune -Remove" 'ConfirmationRequired,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand' -Because 'nothing is sent, not even the updates planned before the removal'
        $run.Output | Should -Match "'Doomed' \($doomed\)"
        $run.Seconds | Should -BeLessThan 60 -Because 'a run that cannot be confirmed ends, it does not wait for an answer'
    }

    It 'removes in pwsh -NonInteractive with -Force or with -Confirm:$false' {
        Add-FleetEnvironment 'Doomed by Force' | Out-Null
        $path = Write-Fleet 'Keep 1', 'Keep 2', 'Keep 3', 'Doomed'
        $run = Invoke-NonInteractive "Sync-RenkuGlobalEnvironment -Path '$path' -Prune -Remove -Force | ForEach-Object { 'DONE ' + `$_.Action + ' ' + `$_.Name + ' ' + `$_.Applied }"
        $run.Output | Should -Match 'DONE Remove Doomed by Force True'
        (Invoke-NonInteractive "@(Get-RenkuGlobalEnvironment -Name 'Doomed by Force').Count").Output.Trim() | Should -Be '0'

        Add-FleetEnvironment 'Doomed by Confirm' | Out-Null
        $run = Invoke-NonInteractive "Sync-RenkuGlobalEnvironment -Path '$path' -Prune -Remove -Confirm:`$false | ForEach-Object { 'DONE ' + `$_.Action + ' ' + `$_.Name + ' ' + `$_.Applied }"
        $run.Output | Should -Match 'DONE Remove Doomed by Confirm True'
    }

    It 'refuses Remove-RenkuGlobalEnvironment in pwsh -NonInteractive with ConfirmationRequired; -Force removes' {
        $id = Add-FleetEnvironment 'Remove me'
        $before = Get-FleetWrites
        $run = Invoke-Refused "Remove-RenkuGlobalEnvironment -Id $id" 'ConfirmationRequired,Renku.PowerShell.Commands.Environments.RemoveRenkuGlobalEnvironmentCommand'
        $run.Output | Should -Match 'FIX .*-Force or -Confirm:\$false'

        $run = Invoke-NonInteractive "Remove-RenkuGlobalEnvironment -Id $id -Force; 'REMOVED'"
        $run.Output | Should -Match 'REMOVED'
        (Get-FleetWrites) | Should -Be ($before + 1)
    }

    It 'refuses a file with no environments unless -AllowEmpty says so, sending nothing' {
        $path = Join-Path $TestDrive 'empty.yaml'
        'environments: []' | Set-Content -Path $path
        $before = Get-FleetWrites
        $run = Invoke-NonInteractive "foreach (`$switches in @{}, @{ Prune = `$true }, @{ Prune = `$true; Remove = `$true; Force = `$true }) { try { Sync-RenkuGlobalEnvironment -Path '$path' @switches } catch { 'ERROR ' + `$_.FullyQualifiedErrorId } }"
        ($run.Output -split "`n" | Where-Object { $_ -eq 'ERROR EnvironmentFileEmpty,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand' }).Count | Should -Be 3

        $run = Invoke-NonInteractive "@(Sync-RenkuGlobalEnvironment -Path '$path' -AllowEmpty).Count"
        $run.Output.Trim() | Should -Be '0'
        (Get-FleetWrites) | Should -Be $before
    }

    It 'refuses a prune that takes more than half of the environments in use out, unless -AllowLargePrune' {
        $path = Write-Fleet 'Keep 1'
        $before = Get-FleetWrites
        $run = Invoke-Refused "Sync-RenkuGlobalEnvironment -Path '$path' -Prune" 'PruneTooLarge,Renku.PowerShell.Commands.Environments.SyncRenkuGlobalEnvironmentCommand'
        $run.Output | Should -Match "archive 3 of the 4 environments in use \('Doomed', 'Keep 2', 'Keep 3'\): more than 50%"

        $run = Invoke-NonInteractive "Sync-RenkuGlobalEnvironment -Path '$path' -Prune -AllowLargePrune -WhatIf | ForEach-Object { 'PLAN ' + `$_.Action + ' ' + `$_.Name }"
        $run.Output | Should -Match 'PLAN Archive Keep 2'
        $run.Output | Should -Match 'PLAN Archive Keep 3'
        (Get-FleetWrites) | Should -Be $before

        # Half is allowed: three of six.
        'Half 1', 'Half 2' | ForEach-Object { Add-FleetEnvironment $_ } | Out-Null
        $run = Invoke-NonInteractive "Sync-RenkuGlobalEnvironment -Path '$(Write-Fleet 'Keep 1', 'Keep 2', 'Keep 3')' -Prune -WhatIf | ForEach-Object { 'PLAN ' + `$_.Action + ' ' + `$_.Name }"
        $run.Output | Should -Not -Match 'ERROR'
        ($run.Output -split "`n" | Where-Object { $_ -like 'PLAN Archive*' }).Count | Should -Be 3
    }

    It 'kept every exchange within the OpenAPI contract' {
        (Get-RenkuTestState $fleet).violations | Should -BeNullOrEmpty
    }
}
