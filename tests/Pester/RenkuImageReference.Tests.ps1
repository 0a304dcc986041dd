# ConvertTo-RenkuImageReference: image references parsed and normalised as Docker does it.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
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

    It 'returns an ImageReference with the tag classified' {
        $reference = ConvertTo-RenkuImageReference 'ghcr.io/o/app:1.2.3'
        $reference | Should -BeOfType ([Renku.PowerShell.ImageReference])
        $reference.TagKind | Should -Be ([Renku.PowerShell.TagKind]::Semver)
    }

    It 'reports an upper-case repository with the InvalidImageReference error id' {
        { ConvertTo-RenkuImageReference 'Docker.io/Bad/App' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidImageReference,Renku.PowerShell.Commands.Images.ConvertToRenkuImageReferenceCommand'
    }

    It 'goes on with the next item after a bad one' {
        $result = 'UPPER', 'python:3.12' | ConvertTo-RenkuImageReference -ErrorAction SilentlyContinue -ErrorVariable problems
        $result.Tag | Should -Be '3.12' -Because 'the good reference after the bad one is still parsed'
        $problems | Should -HaveCount 1
    }

    It 'takes the container_image property of piped objects' {
        $environment = [pscustomobject]@{ name = 'Python'; container_image = 'ghcr.io/o/app:1.2.3' }
        ($environment | ConvertTo-RenkuImageReference).TagKind | Should -Be 'Semver'
    }
}
