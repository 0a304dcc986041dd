# Get-RenkuConnection against the fake Renku data API and Keycloak.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name renku
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuConnection' {
    BeforeEach {
        Assert-TestPart $parts renku
    }

    It 'returns the connection the last Connect-RenkuInstance made' {
        $connection = Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts)
        $current = Get-RenkuConnection
        $current | Should -BeOfType ([Renku.PowerShell.RenkuConnection])
        $current.Uri | Should -Be $connection.Uri
        $current.UserName | Should -Be 'admin'
    }

    It 'returns nothing, and writes no error, when there is none' {
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
        Disconnect-RenkuInstance
        $errors = $null
        $result = Get-RenkuConnection -ErrorVariable errors -ErrorAction Stop
        $result | Should -BeNullOrEmpty
        $errors | Should -BeNullOrEmpty
    }

    It 'leaves RenkuNotConnected to the cmdlets that need a connection' {
        Disconnect-RenkuInstance
        { Get-RenkuGlobalEnvironment -ErrorAction Stop } |
            Should -Throw -ErrorId 'RenkuNotConnected,Renku.PowerShell.Commands.Environments.GetRenkuGlobalEnvironmentCommand'
    }
}
