BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Renku.PowerShell') -Force
}

AfterAll {
    Remove-Module Renku.PowerShell -ErrorAction SilentlyContinue
}

Describe 'ConvertTo-RenkuImageReference' {
    It 'normalises <Reference> to <FullName>' -ForEach @(
        @{ Reference = 'python'; FullName = 'docker.io/library/python:latest' }
        @{ Reference = 'jupyter/base-notebook:2024-01-01'; FullName = 'docker.io/jupyter/base-notebook:2024-01-01' }
        @{ Reference = 'localhost:5000/team/app:1.0'; FullName = 'localhost:5000/team/app:1.0' }
        @{ Reference = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3'; FullName = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3' }
    ) {
        (ConvertTo-RenkuImageReference -InputObject $Reference).FullName | Should -Be $FullName
    }

    It 'returns typed objects' {
        ConvertTo-RenkuImageReference python | Should -BeOfType ([Renku.PowerShell.ImageReference])
    }

    It 'reports an upper-case repository with the InvalidImageReference error id' {
        { ConvertTo-RenkuImageReference 'Docker.io/Bad/App' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidImageReference,Renku.PowerShell.Commands.Images.ConvertToRenkuImageReferenceCommand'
    }

    It 'goes on with the next item after a bad one' {
        $result = 'UPPER', 'python:3.12' | ConvertTo-RenkuImageReference -ErrorAction SilentlyContinue -ErrorVariable problems
        $result.Tag | Should -Be '3.12'
        $problems | Should -HaveCount 1
    }

    It 'takes the container_image property of piped objects' {
        $environment = [pscustomobject]@{ name = 'Python'; container_image = 'ghcr.io/o/app:1.2.3' }
        ($environment | ConvertTo-RenkuImageReference).TagKind | Should -Be 'Semver'
    }
}
