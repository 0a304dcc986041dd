# Connect-RenkuInstance and Disconnect-RenkuInstance against the fake Renku data API and Keycloak.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name renku
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Connect-RenkuInstance' {
    BeforeEach {
        Assert-TestPart $parts renku
        $uri = $parts.Renku.uri
    }

    It 'connects with an access token and reports the user' {
        $connection = Connect-RenkuInstance -Uri $uri -AccessToken (Get-RenkuTestToken $parts)
        $connection | Should -BeOfType ([Renku.PowerShell.RenkuConnection])
        $connection.UserName | Should -Be 'admin'
        $connection.IsAdmin | Should -BeTrue
        $connection.DataServiceVersion | Should -Be '0.79.0'
    }

    It 'refuses an invalid token with RenkuUnauthorized' {
        $bad = ConvertTo-SecureString 'not-a-token' -AsPlainText -Force
        { Connect-RenkuInstance -Uri $uri -AccessToken $bad } |
            Should -Throw -ErrorId 'RenkuUnauthorized,Renku.PowerShell.Commands.Connections.ConnectRenkuInstanceCommand'
    }

    It 'signs in with the device code once it is approved' {
        # Approves every pending device code for a bounded while, as the user would in a browser.
        $job = Start-ThreadJob -ScriptBlock {
            param($uri)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            do {
                Start-Sleep -Milliseconds 200
                Invoke-RestMethod -Method Post -Uri "${uri}_test/device/approve?user=admin" | Out-Null
            } while ([DateTime]::UtcNow -lt $deadline)
        } -ArgumentList $uri
        try {
            $connection = Connect-RenkuInstance -Uri $uri -DeviceCode -InformationAction SilentlyContinue
            $connection.AuthenticationMethod | Should -Be 'DeviceCode'
            $connection.UserName | Should -Be 'admin'
        }
        finally {
            $job | Stop-Job -PassThru | Remove-Job
        }
    }

    It 'warns when the user is not an admin, and admin cmdlets then say RenkuAdminRequired' {
        Connect-RenkuInstance -Uri $uri -AccessToken (Get-RenkuTestToken $parts -User 'jane') -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
        $warnings | Should -HaveCount 1
        { New-RenkuGlobalEnvironment -Name 'X' -Image 'python:3.12' } |
            Should -Throw -ErrorId 'RenkuAdminRequired,Renku.PowerShell.Commands.Environments.NewRenkuGlobalEnvironmentCommand'
    }

    It 'never shows the token in the connection' {
        $token = Get-RenkuTestToken $parts
        $plain = [System.Net.NetworkCredential]::new('', $token).Password
        $connection = Connect-RenkuInstance -Uri $uri -AccessToken $token
        ($connection | Format-List * | Out-String) | Should -Not -Match ([regex]::Escape($plain))
        ($connection | ConvertTo-Json -Depth 3) | Should -Not -Match ([regex]::Escape($plain))
    }
}

Describe 'Disconnect-RenkuInstance' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'forgets the current connection, after which Renku cmdlets say RenkuNotConnected' {
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
        Disconnect-RenkuInstance
        Get-RenkuConnection -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        { Get-RenkuGlobalEnvironment -ErrorAction Stop } |
            Should -Throw -ErrorId 'RenkuNotConnected,Renku.PowerShell.Commands.Environments.GetRenkuGlobalEnvironmentCommand'
    }

    It 'changes nothing under -WhatIf' {
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
        Disconnect-RenkuInstance -WhatIf
        Get-RenkuConnection | Should -Not -BeNullOrEmpty
    }
}
