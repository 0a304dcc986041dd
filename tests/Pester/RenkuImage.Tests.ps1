# Get-RenkuImage (registry, OCI layout) and Build-RenkuImage (a private Docker engine), against a
# registry that hands its blobs to an nginx blob host, seeded by the suite.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry, docker

    function New-BuildContext {
        $directory = Join-Path $TestDrive ([guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $directory | Out-Null
        $directory
    }
}

AfterAll {
    Stop-TestPart $parts
}

Describe 'Get-RenkuImage' {
    Context 'input errors (nothing sent)' {
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
    }

    Context 'from a registry' {
        BeforeEach {
            Assert-TestPart $parts registry
        }

        It 'resolves the user and the distribution from the layers, downloading only what it reads' {
            $info = Get-RenkuImage $parts.Registry.images.layered -IncludeFiles
            $info | Should -BeOfType ([Renku.PowerShell.ImageInfo])
            $info.Digest | Should -Match '^sha256:[0-9a-f]{64}$'
            $info.User.Resolved | Should -BeTrue
            $info.User.Uid | Should -Be 1000 -Because 'USER 1000 is resolved through /etc/passwd of the layers'
            $info.OsId | Should -Be 'debian'
            $info.LayerCount | Should -Be 3
            ($info.Files | Where-Object Path -EQ '/etc/passwd').LayerIndex | Should -Be 2 -Because 'the top layer rewrites /etc/passwd'
            $info.Files.Path | Should -Not -Contain '/etc/motd' -Because 'a whiteout in the middle layer deletes it'
        }

        It 'takes the container_image property of piped environments' {
            $info = [pscustomobject]@{ name = 'Python'; container_image = $parts.Registry.images.compliant } | Get-RenkuImage
            $info.Reference.FullName | Should -Be $parts.Registry.images.compliant
            $info.PublicAccess | Should -Be ([Renku.PowerShell.PublicAccess]::Public) -Because 'the registry serves it without credentials'
        }

        It 'reports a tag the registry does not have as ImageNotFound' {
            $null = Get-RenkuImage "$($parts.Registry.host)/team/layered:9.9.9" -ErrorAction SilentlyContinue -ErrorVariable failures
            $failures[0].FullyQualifiedErrorId | Should -Be 'ImageNotFound,Renku.PowerShell.Commands.Images.GetRenkuImageCommand'
        }
    }

    Context 'from an OCI layout' {
        It 'reads the example image the build writes' {
            $info = Get-RenkuImage -LiteralPath (Join-Path (Get-RepositoryRoot) 'out/example/python-lab') -IncludeFiles
            $info.Source | Should -Be ([Renku.PowerShell.ImageSourceKind]::Archive)
            $info.Reference.FullName | Should -Be 'docker.io/renku-example/python-lab:latest'
            $info.User.UserName | Should -Be 'renku'
            $info.OsPrettyName | Should -Be 'Ubuntu 24.04 LTS'
        }
    }
}

Describe 'Build-RenkuImage' {
    Context 'input checks (no engine needed)' {
        BeforeEach {
            $context = New-BuildContext
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value 'FROM scratch'
        }

        It 'rejects an invalid tag with InvalidImageReference' {
            { Build-RenkuImage $context -Tag 'Bad/Upper:1' -DockerHost 'unix:///nonexistent.sock' -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidImageReference,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'needs a tag to push' {
            { Build-RenkuImage $context -Push -DockerHost 'unix:///nonexistent.sock' -ErrorAction Stop } |
                Should -Throw -ErrorId 'PushRequiresTag,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'reports an unreachable engine as DockerEngineUnavailable' {
            { Build-RenkuImage $context -Tag 'app:1' -DockerHost 'unix:///nonexistent.sock' } |
                Should -Throw -ErrorId 'DockerEngineUnavailable,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'sends nothing with -WhatIf' {
            Build-RenkuImage $context -Tag 'app:1' -Push -DockerHost 'unix:///nonexistent.sock' -WhatIf | Should -BeNullOrEmpty
        }

        It 'reports a missing pack as PackNotFound' {
            { Build-RenkuImage $context -Buildpacks -Frontend jupyterlab -Tag 'team/env:1' -PackPath (Join-Path $context 'no-pack') } |
                Should -Throw -ErrorId 'PackNotFound,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }
    }

    Context 'on a Docker engine' {
        BeforeEach {
            Assert-TestPart $parts docker
            $engine = $parts.Docker.host
            $base = $parts.Docker.images.base
            $context = New-BuildContext
        }

        It 'builds, tags and returns an ImageBuildResult, leaving ignored files out of the context' {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $base`nARG GREETING=none`nRUN echo `$GREETING > /greeting`nCOPY . /ctx/"
            Set-Content -Path (Join-Path $context '.dockerignore') -Value '*.log'
            Set-Content -Path (Join-Path $context 'keep.txt') -Value 'keep'
            Set-Content -Path (Join-Path $context 'drop.log') -Value 'drop'
            $result = Build-RenkuImage $context -Tag 'renku-ps-pester/build:1' -BuildArg @{ GREETING = 'hi' } -DockerHost $engine
            $result | Should -BeOfType ([Renku.PowerShell.ImageBuildResult])
            $result.ImageId | Should -Match '^sha256:[0-9a-f]{64}$'
            $result.Tags | Should -Contain 'docker.io/renku-ps-pester/build:1'
            $result.ContextFiles | Should -Be 3 -Because 'drop.log is ignored'
            docker -H $engine run --rm renku-ps-pester/build:1 cat /greeting | Should -Be 'hi'
        }

        It 'pushes the built image to a registry, where Get-RenkuImage reads it' {
            Assert-TestPart $parts registry
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $base`nUSER 1000`nWORKDIR /home/renku"
            $tag = "$($parts.Registry.host)/team/built:1.0.0"
            $result = Build-RenkuImage $context -Tag $tag -Push -DockerHost $engine
            $result.PushedTags | Should -Contain $tag
            (Get-RenkuImage $tag).Digest | Should -Be $result.Digest
        }

        It 'verifies the image before pushing and stops a non-compliant one' {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $base`nUSER root"
            { Build-RenkuImage $context -Tag 'renku-ps-pester/root:1' -Verify -FailOn Error -DockerHost $engine } |
                Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'verifies an image meant for another port under that port, given as -Port or by a piped environment' {
            $port = Get-FreePort
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $($parts.Docker.images.compliant)`nCMD [""/bin/sh"", ""-c"", ""exec httpd -f -p $port -h /srv/www""]"
            $result = Build-RenkuImage $context -Tag 'renku-ps-pester/port:1' -Port $port -ProbeTimeout 00:00:30 -FailOn Error -DockerHost $engine
            $result.Verification.Passed | Should -BeTrue -Because ($result.Verification.Failures | Out-String)
            $result.Verification.Session.Port | Should -Be $port
            $result.Verification.Settings.Port | Should -Be $port

            $environment = [Renku.PowerShell.GlobalEnvironment]@{ Name = 'Port lab'; Image = 'renku-ps-pester/port:1'; Port = $port; Uid = 1000; Gid = 1000; DefaultUrl = '/'; WorkingDirectory = '/home/renku/work'; MountDirectory = '/home/renku/work' }
            $piped = $environment | Build-RenkuImage $context -Tag 'renku-ps-pester/port:1' -ProbeTimeout 00:00:30 -FailOn Error -DockerHost $engine
            $piped.Verification.Passed | Should -BeTrue -Because ($piped.Verification.Failures | Out-String)
            $piped.Verification.Environment | Should -Be 'Port lab'
            $piped.Verification.Session.Port | Should -Be $port
        }

        It 'stops an image that does not answer on the environment''s port before the push' {
            $port = Get-FreePort -Pair
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $($parts.Docker.images.compliant)`nCMD [""/bin/sh"", ""-c"", ""exec httpd -f -p $($port + 1) -h /srv/www""]"
            { Build-RenkuImage $context -Tag 'renku-ps-pester/wrong-port:1' -Port $port -ProbeTimeout 00:00:08 -FailOn Error -DockerHost $engine } |
                Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'refuses session settings Renku would refuse before it builds' {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $base"
            { Build-RenkuImage $context -Tag 'renku-ps-pester/never:1' -WorkingDirectory 'relative/dir' -DockerHost $engine -ErrorAction Stop } |
                Should -Throw -ErrorId 'InvalidEnvironmentSettings,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
            docker -H $engine images -q renku-ps-pester/never:1 | Should -BeNullOrEmpty -Because 'nothing was built'
        }

        It 'reports a failing step as DockerBuildFailed' {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $base`nRUN exit 7"
            { Build-RenkuImage $context -DockerHost $engine -ErrorAction Stop } |
                Should -Throw -ErrorId 'DockerBuildFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }
    }
}

Describe 'Build-RenkuImage on podman''s Docker-compatible API' {
    BeforeAll {
        $podmanParts = Start-TestPart -Name podman
    }

    AfterAll {
        Stop-TestPart $podmanParts
    }

    BeforeEach {
        Assert-TestPart $podmanParts podman
        $engine = $podmanParts.Podman.host
        $context = New-BuildContext
    }

    It 'builds with build arguments and a .dockerignore, as on dockerd' {
        Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $($podmanParts.Podman.images.base)`nARG GREETING=none`nRUN echo `$GREETING > /greeting`nCOPY . /ctx/"
        Set-Content -Path (Join-Path $context '.dockerignore') -Value '*.log'
        Set-Content -Path (Join-Path $context 'keep.txt') -Value 'keep'
        Set-Content -Path (Join-Path $context 'drop.log') -Value 'drop'
        $result = Build-RenkuImage $context -Tag 'renku-ps-pester/podman-build:1' -BuildArg @{ GREETING = 'hi' } -DockerHost $engine
        $result.ImageId | Should -Match '^sha256:[0-9a-f]{64}$'
        $result.ContextFiles | Should -Be 3 -Because 'drop.log is ignored'
        docker -H $engine run --rm renku-ps-pester/podman-build:1 cat /greeting | Should -Be 'hi'
    }

    It 'verifies a build with a session check on podman, leaving nothing behind' {
        Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $($podmanParts.Podman.images.compliant)`nLABEL built=yes"
        $result = Build-RenkuImage $context -Tag 'renku-ps-pester/podman-verified:1' -Verify -FailOn Error -DockerHost $engine
        $result.Compliant | Should -BeTrue -Because ($result.Verification.Failures | Out-String)
        $result.Verification.Session.Ready | Should -BeTrue
        $result.Verification.Session.Network | Should -Be 'bridge' -Because 'podman uses its default bridge'
        $result.Verification.Session.ProbeRoute | Should -Be 'container address'
        docker -H $engine ps -aq --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
        docker -H $engine volume ls -q --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
        docker -H $engine network ls -q --filter label=io.renku.powershell.check | Should -BeNullOrEmpty
    }

    It 'reports a failing step as DockerBuildFailed' {
        Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM $($podmanParts.Podman.images.base)`nRUN exit 7"
        { Build-RenkuImage $context -DockerHost $engine -ErrorAction Stop } |
            Should -Throw -ErrorId 'DockerBuildFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
    }
}
