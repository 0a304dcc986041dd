# Get-RenkuImageTag and Update-RenkuImageTag against a registry seeded by the suite with a
# repository of version tags (1.0.0, 1.0.1, 1.1.0, 2.0.0, latest, abc1234).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuImageTag' {
    It 'reports a registry that does not answer' {
        $null = Get-RenkuImageTag 127.0.0.1:9/team/app -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'RegistryUnreachable,Renku.PowerShell.Commands.Images.GetRenkuImageTagCommand'
    }

    Context 'with a registry' {
        BeforeEach {
            Assert-TestPart $parts registry
            $repository = $parts.Registry.images.versions
        }

        It 'lists every tag, versions newest first, with their kind' {
            $tags = Get-RenkuImageTag $repository
            $tags | Should -BeOfType ([Renku.PowerShell.ImageTag])
            $tags | Should -HaveCount 6
            @($tags | Where-Object Version).Name | Should -Be @('2.0.0', '1.1.0', '1.0.1', '1.0.0')
            ($tags | Where-Object Name -EQ 'latest').Kind | Should -Be ([Renku.PowerShell.TagKind]::Latest)
        }

        It 'orders build numbers as versions' {
            $tags = Get-RenkuImageTag $parts.Registry.images.schemes | Where-Object Build
            $tags.Name | Should -Be @('17.0.2_8-jre-alpine', '17.0.1_13-jre-alpine', '17.0.1_12-jre-alpine')
            $tags[1].Build | Should -Be 13
            $tags[1].Version.ToString() | Should -Be '17.0.1_13'
        }

        It 'keeps only versions with -SemverOnly' {
            (Get-RenkuImageTag $repository -SemverOnly).Name | Should -Be @('2.0.0', '1.1.0', '1.0.1', '1.0.0')
        }
    }
}

Describe 'Update-RenkuImageTag' {
    BeforeEach {
        Assert-TestPart $parts registry
        $repository = $parts.Registry.images.versions
        $dockerfile = Join-Path $TestDrive 'Dockerfile'
        Set-Content -Path $dockerfile -Value "# base`nFROM $($repository):1.0.0 AS base`nUSER renku" -NoNewline
    }

    It 'shows the change with -WhatIf and writes nothing' {
        $before = Get-Content -Raw $dockerfile
        $result = Update-RenkuImageTag -Path $dockerfile -WhatIf
        $result | Should -BeOfType ([Renku.PowerShell.ImageTagUpdate])
        $result.Applied | Should -BeFalse
        Get-Content -Raw $dockerfile | Should -Be $before
    }

    It 'rewrites only the tag of the FROM line, byte for byte otherwise' {
        $result = Get-RenkuImageUpgrade -Path $dockerfile | Update-RenkuImageTag -Confirm:$false
        $result.Applied | Should -BeTrue
        Get-Content -Raw $dockerfile | Should -Be "# base`nFROM $($repository):1.1.0 AS base`nUSER renku"
    }

    It 'pins the digest with -PinDigest' {
        $result = Update-RenkuImageTag -Path $dockerfile -PinDigest -Confirm:$false
        $result.Applied | Should -BeTrue
        Get-Content -Raw $dockerfile | Should -Match "FROM $([regex]::Escape($repository)):1\.1\.0@sha256:[0-9a-f]{64} AS base"
    }
}
