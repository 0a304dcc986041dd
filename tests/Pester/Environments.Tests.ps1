# End-to-end tests of the environment cmdlets against the fake Renku deployment, started as a process.
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

    function Get-TestToken([string] $User = 'admin') {
        $answer = Invoke-RestMethod -Method Post -Uri "$($script:baseUri)_test/token?user=$User"
        ConvertTo-SecureString $answer.access_token -AsPlainText -Force
    }

    function Get-ServerState {
        Invoke-RestMethod -Uri "$($script:baseUri)_test/state"
    }
}

AfterAll {
    if ($script:serverProcess -and -not $script:serverProcess.HasExited) {
        $script:serverProcess.StandardInput.Close()
        if (-not $script:serverProcess.WaitForExit(10000)) { $script:serverProcess.Kill() }
    }
}

Describe 'Connect-RenkuInstance' {
    It 'connects with an access token and reports the user' {
        $connection = Connect-RenkuInstance -Uri $script:baseUri -AccessToken (Get-TestToken)
        $connection.UserName | Should -Be 'admin'
        $connection.IsAdmin | Should -BeTrue
        $connection.DataServiceVersion | Should -Be '0.79.0'
        (Get-RenkuConnection).Uri | Should -Be $connection.Uri
    }

    It 'refuses an invalid token with RenkuUnauthorized' {
        $bad = ConvertTo-SecureString 'not-a-token' -AsPlainText -Force
        { Connect-RenkuInstance -Uri $script:baseUri -AccessToken $bad } | Should -Throw -ErrorId 'RenkuUnauthorized,*'
    }

    It 'signs in with the device code once it is approved' {
        $job = Start-ThreadJob -ScriptBlock {
            param($uri)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do {
                Start-Sleep -Milliseconds 200
                Invoke-RestMethod -Method Post -Uri "${uri}_test/device/approve?user=admin" | Out-Null
            } while ([DateTime]::UtcNow -lt $deadline -and -not (Test-Path Variable:done))
        } -ArgumentList $script:baseUri
        try {
            $connection = Connect-RenkuInstance -Uri $script:baseUri -DeviceCode -InformationAction SilentlyContinue
            $connection.AuthenticationMethod | Should -Be 'DeviceCode'
        }
        finally {
            $job | Stop-Job -PassThru | Remove-Job
        }
    }

    It 'warns when the user is not an admin' {
        Connect-RenkuInstance -Uri $script:baseUri -AccessToken (Get-TestToken -User 'jane') -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $warnings.Count | Should -Be 1
        { New-RenkuGlobalEnvironment -Name 'X' -Image 'python:3.12' } | Should -Throw -ErrorId 'RenkuAdminRequired,*'
    }
}

Describe 'Disconnect-RenkuInstance' {
    It 'forgets the current connection, after which Renku cmdlets say RenkuNotConnected' {
        Connect-RenkuInstance -Uri $script:baseUri -AccessToken (Get-TestToken) | Out-Null
        Get-RenkuConnection | Should -Not -BeNullOrEmpty
        Disconnect-RenkuInstance
        Get-RenkuConnection -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Get-RenkuGlobalEnvironment -ErrorAction Stop } | Should -Throw -ErrorId 'RenkuNotConnected,*'
    }
}

Describe 'Global environment cmdlets' {
    BeforeAll {
        Connect-RenkuInstance -Uri $script:baseUri -AccessToken (Get-TestToken) | Out-Null
        $image = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3'
    }

    It 'creates an environment with Renku''s settings for its images' {
        $environment = New-RenkuGlobalEnvironment -Name 'Python Pester' -Image $image
        $environment.Port | Should -Be 8888
        $environment.DefaultUrl | Should -Be '/'
        $environment.WorkingDirectory | Should -Be '/home/renku/work'
    }

    It 'changes piped environments and passes them through' {
        $changed = Get-RenkuGlobalEnvironment -Name 'Py*' | Set-RenkuGlobalEnvironment -Port 8889 -PassThru
        $changed.Port | Should -Be 8889
    }

    It 'sends no write under -WhatIf' {
        $before = (Get-ServerState).writes
        Get-RenkuGlobalEnvironment | Set-RenkuGlobalEnvironment -Port 9000 -WhatIf
        Get-RenkuGlobalEnvironment | Remove-RenkuGlobalEnvironment -WhatIf
        (Get-ServerState).writes | Should -Be $before
    }

    It 'names the parameter of a bad value and sends nothing' {
        $before = (Get-ServerState).writes
        New-RenkuGlobalEnvironment -Name 'Bad' -Image $image -Port 65400 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidEnvironmentPort,*'
        (Get-ServerState).writes | Should -Be $before
    }

    It 'refuses to remove an environment a launcher uses' {
        $environment = New-RenkuGlobalEnvironment -Name 'In use' -Image $image
        Invoke-RestMethod -Method Post -Uri "$($script:baseUri)_test/launchers?name=Notebook&environment_id=$($environment.Id)" | Out-Null
        Remove-RenkuGlobalEnvironment -Id $environment.Id -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'EnvironmentInUse,*'
        (Get-RenkuSessionLauncher -EnvironmentId $environment.Id).Name | Should -Be 'Notebook'
    }

    It 'shows a launcher whose environment was never built for what it is' {
        $repository = [uri]::EscapeDataString('https://gitlab.example.org/team/analysis.git')
        Invoke-RestMethod -Method Post -Uri "$($script:baseUri)_test/build_launchers?name=Fresh%20build&repository=$repository&launcher_type=non-interactive" | Out-Null
        $launcher = Get-RenkuSessionLauncher -Name 'Fresh build'
        $launcher.IsBuilt | Should -BeTrue
        $launcher.EnvironmentImage | Should -BeNullOrEmpty
        $launcher.LauncherType | Should -Be 'non-interactive'
        ($launcher | Format-Table | Out-String -Width 300) | Should -Match 'not built yet: https://gitlab.example.org/team/analysis.git'
    }

    It 'reports a missing id as EnvironmentNotFound' {
        Remove-RenkuGlobalEnvironment -Id '01HZ5Q3K8M0000000000000000' -Force -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'EnvironmentNotFound,*'
    }

    It 'exports and syncs back with every environment unchanged' {
        $path = Join-Path $TestDrive 'environments.yaml'
        Export-RenkuGlobalEnvironment -Path $path | Should -Exist
        $changes = Sync-RenkuGlobalEnvironment -Path $path -Prune
        $changes | ForEach-Object { $_.Action | Should -Be 'Unchanged' }
    }

    It 'plans a sync under -WhatIf without writing' {
        $path = Join-Path $TestDrive 'wanted.json'
        '{ "environments": [ { "name": "From file", "container_image": "python:3.12" } ] }' | Set-Content -Path $path
        $before = (Get-ServerState).writes
        $plan = Sync-RenkuGlobalEnvironment -Path $path -WhatIf
        $plan.Action | Should -Be 'Create'
        (Get-ServerState).writes | Should -Be $before
    }

    It 'kept every exchange within the OpenAPI contract' {
        (Get-ServerState).violations | Should -BeNullOrEmpty
    }
}
