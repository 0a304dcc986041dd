#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }

BeforeAll {
    Import-Module "$PSScriptRoot/../../out/Renku.PowerShell" -Force
}

Describe 'Get-RenkuImage' {
    It 'is exported and documented' {
        $command = Get-Command Get-RenkuImage -Module Renku.PowerShell
        $command.OutputType.Name | Should -Contain 'Renku.PowerShell.ImageInfo'
        (Get-Help Get-RenkuImage).Synopsis | Should -Not -BeNullOrEmpty
    }

    It 'stops with InvalidPlatform before sending anything' {
        { Get-RenkuImage 127.0.0.1:1/team/app:1 -Platform linux -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidPlatform,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
    }

    It 'reports an invalid reference and goes on' {
        $null = 'Bad/Upper' | Get-RenkuImage -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'InvalidImageReference,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
    }

    It 'reports a registry that does not answer' {
        $null = Get-RenkuImage 127.0.0.1:9/team/app:1 -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'RegistryUnreachable,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
    }

    It 'reports a missing archive' {
        $null = Get-RenkuImage -LiteralPath (Join-Path $TestDrive 'none.tar') -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'ImageArchiveNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
    }

    Context 'against a registry named in RENKU_TEST_IMAGE' -Skip:(-not $env:RENKU_TEST_IMAGE) {
        It 'resolves the user and the distribution from the layers' {
            $info = [pscustomobject]@{ container_image = $env:RENKU_TEST_IMAGE } | Get-RenkuImage -IncludeFiles
            $info | Should -BeOfType ([Renku.PowerShell.ImageInfo])
            $info.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
            $info.User.Resolved | Should -BeTrue
            $info.OsId | Should -Not -BeNullOrEmpty
            ($info.Files | Where-Object Path -EQ '/etc/passwd').LayerIndex | Should -BeGreaterOrEqual 0
            $info.BytesDownloaded | Should -BeLessThan ($info.CompressedSize + 10MB)
        }
    }
}

Describe 'Get-RenkuImageTag' {
    It 'is exported and documented' {
        (Get-Command Get-RenkuImageTag -Module Renku.PowerShell).OutputType.Name | Should -Contain 'Renku.PowerShell.ImageTag'
        (Get-Help Get-RenkuImageTag -Full).examples.example.Count | Should -BeGreaterThan 0
    }

    It 'reports a registry that does not answer' {
        $null = Get-RenkuImageTag 127.0.0.1:9/team/app -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures[0].FullyQualifiedErrorId | Should -Be 'RegistryUnreachable,Renku.PowerShell.Commands.Images.GetRenkuImageTagCommand'
    }

    Context 'against a registry named in RENKU_TEST_IMAGE' -Skip:(-not $env:RENKU_TEST_IMAGE) {
        It 'lists versions newest first' {
            $tags = Get-RenkuImageTag $env:RENKU_TEST_IMAGE
            $tags | Should -Not -BeNullOrEmpty
            $versions = @($tags | Where-Object Version | ForEach-Object Version)
            for ($i = 1; $i -lt $versions.Count; $i++) {
                $versions[$i - 1] -ge $versions[$i] | Should -BeTrue
            }
        }
    }
}
