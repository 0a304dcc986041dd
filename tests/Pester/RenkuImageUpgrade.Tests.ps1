# Get-RenkuImageUpgrade against a registry seeded by the suite with a repository of version tags
# (1.0.0, 1.0.1, 1.1.0, 2.0.0, latest, abc1234).
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuImageUpgrade' {
    It 'rejects a bad version range with InvalidVersionRange' {
        { Get-RenkuImageUpgrade 'python:3.12' -VersionRange '[3.0,,' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidVersionRange,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    It 'reports a missing Dockerfile with DockerfileNotFound' {
        { Get-RenkuImageUpgrade -LiteralPath (Join-Path $TestDrive 'nope/Dockerfile') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DockerfileNotFound,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    It 'refuses a file that is neither a Dockerfile nor an environments file, instead of returning nothing' {
        $notes = Join-Path $TestDrive 'notes.txt'
        Set-Content -Path $notes -Value 'just notes'
        { Get-RenkuImageUpgrade -Path $notes -ErrorAction Stop } |
            Should -Throw -ErrorId 'UnsupportedUpgradeFile,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    It 'refuses a Dockerfile without FROM with InvalidDockerfile' {
        $folder = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'nofrom') -Force
        Set-Content -Path (Join-Path $folder 'Dockerfile') -Value "# no base`nRUN echo hi"
        { Get-RenkuImageUpgrade -Path (Join-Path $folder 'Dockerfile') -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidDockerfile,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    It 'refuses a YAML file that is not an environments file with EnvironmentFileInvalid' {
        $compose = Join-Path $TestDrive 'compose.yaml'
        Set-Content -Path $compose -Value "services:`n  web:`n    image: nginx:1.25"
        { Get-RenkuImageUpgrade -Path $compose -ErrorAction Stop } |
            Should -Throw -ErrorId 'EnvironmentFileInvalid,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    Context 'with a registry' {
        BeforeEach {
            Assert-TestPart $parts registry
            $repository = $parts.Registry.images.versions
        }

        It 'chooses the newest minor by default and reports the newest major' {
            $row = Get-RenkuImageUpgrade "$($repository):1.0.0"
            $row | Should -BeOfType ([Renku.PowerShell.ImageUpgrade])
            $row.Candidate | Should -Be '1.1.0'
            $row.NewestMajor | Should -Be '2.0.0'
            $row.Status | Should -Be ([Renku.PowerShell.UpgradeStatus]::MajorAvailable)
        }

        It 'moves across majors with -Level Major' {
            (Get-RenkuImageUpgrade "$($repository):1.0.0" -Level Major).Candidate | Should -Be '2.0.0'
        }

        It 'flags unpinned images' {
            (Get-RenkuImageUpgrade "$($repository):latest").Status | Should -Be 'Unpinned'
        }

        It 'takes environment objects from the pipeline' {
            $environment = [pscustomobject]@{ Name = 'Python'; Id = '01JTEST0000000000000000000'; Image = "$($repository):1.0.1" }
            $row = $environment | Get-RenkuImageUpgrade
            $row.SourceKind | Should -Be ([Renku.PowerShell.UpgradeSourceKind]::Environment)
            $row.EnvironmentName | Should -Be 'Python'
            $row.Candidate | Should -Be '1.1.0'
        }

        It 'reads the FROM lines of Dockerfiles' {
            $dockerfile = Join-Path $TestDrive 'Dockerfile'
            Set-Content -Path $dockerfile -Value "FROM $($repository):1.0.0`nUSER 1000"
            $row = Get-RenkuImageUpgrade -Path $dockerfile
            $row.SourceKind | Should -Be ([Renku.PowerShell.UpgradeSourceKind]::Dockerfile)
            $row.Candidate | Should -Be '1.1.0'
        }

        It 'reads build numbers, early access and streams as people push them' {
            $schemes = $parts.Registry.images.schemes
            $build = Get-RenkuImageUpgrade "$($schemes):17.0.1_12-jre-alpine" -Level Patch
            $build.Candidate | Should -Be '17.0.2_8-jre-alpine'
            $build.Status | Should -Be ([Renku.PowerShell.UpgradeStatus]::PatchAvailable)

            (Get-RenkuImageUpgrade "$($schemes):21-ea-32" -Level Major).Candidate | Should -BeNullOrEmpty
            (Get-RenkuImageUpgrade "$($schemes):21-ea-32" -Level Major -AllowPrerelease).Candidate | Should -Be '22-ea-7'

            $stream = Get-RenkuImageUpgrade "$($schemes):2.11.0-python3.12"
            $stream.Status | Should -Be ([Renku.PowerShell.UpgradeStatus]::NewerStream)
            $stream.NewerStreams | Should -Be @('2.11.0-python3.13')
            (Get-RenkuImageUpgrade "$($schemes):2.11.0-python3.13").Status | Should -Be ([Renku.PowerShell.UpgradeStatus]::UpToDate)

            $windows = Get-RenkuImageUpgrade "$($schemes):1803-KB4487017"
            $windows.NewerStreams | Should -Not -Contain '1607-KB4487026'
            $windows.Status | Should -Be ([Renku.PowerShell.UpgradeStatus]::UpToDate)
        }

        It 'says which FROM variable has no value instead of an empty image' {
            $dockerfile = Join-Path $TestDrive 'Unset.Dockerfile'
            Set-Content -Path $dockerfile -Value 'FROM ${VALUE}'
            $row = Get-RenkuImageUpgrade -Path $dockerfile
            $row.Image | Should -Be '${VALUE}'
            $row.Message | Should -Be '`${VALUE}` has no value: no ARG declares it'
        }

        It 'reads the entries of an environments file and rewrites only their tags' {
            $file = Join-Path $TestDrive 'environments.yaml'
            $text = "# lab environments`r`nenvironments:`r`n  - name: Python   # default`r`n    container_image: '$($repository):1.0.0'`r`n    port: 8888`r`n  - name: Current`r`n    container_image: $($repository):1.1.0`r`n"
            [IO.File]::WriteAllText($file, $text, [Text.UTF8Encoding]::new($true))
            $rows = Get-RenkuImageUpgrade -Path $file
            $rows.Count | Should -Be 2
            $rows[0].SourceKind | Should -Be ([Renku.PowerShell.UpgradeSourceKind]::EnvironmentFile)
            $rows[0].EnvironmentName | Should -Be 'Python'
            $rows[0].Line | Should -Be 4
            $rows[0].Candidate | Should -Be '1.1.0'

            $updates = $rows | Update-RenkuImageTag -Confirm:$false
            $updates.Applied | Should -Be $true
            $updates.Line | Should -Be 4
            $expected = [Text.Encoding]::UTF8.GetPreamble() + [Text.Encoding]::UTF8.GetBytes($text.Replace("$($repository):1.0.0", "$($repository):1.1.0"))
            [IO.File]::ReadAllBytes($file) | Should -Be $expected
            @(Get-ChildItem -Force $TestDrive -Filter '.environments*').Count | Should -Be 0
        }

        It 'records digests and reports a tag pushed again since' {
            $record = Join-Path $TestDrive 'digests.json'
            Get-RenkuImageUpgrade "$($repository):1.0.0" -RecordDigest $record | Out-Null
            $record | Should -Exist
            (Get-Content -Raw $record | ConvertFrom-Json -AsHashtable).Count | Should -BeGreaterThan 0
        }
    }
}
