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

    It 'says RenkuNotConnected when there is none' {
        Disconnect-RenkuInstance
        { Get-RenkuConnection -ErrorAction Stop } |
            Should -Throw -ErrorId 'RenkuNotConnected,Renku.PowerShell.Commands.Connections.GetRenkuConnectionCommand'
    }
}
