BeforeDiscovery {
    # The engine tests need the test engine and the busybox base image the xunit suite imports.
    $dockerHost = if ($env:RENKU_TEST_DOCKER_HOST) { $env:RENKU_TEST_DOCKER_HOST } else { 'unix:///tmp/renku-ps-test-docker/docker.sock' }
    $engineUp = $false
    if (Get-Command docker -ErrorAction SilentlyContinue) {
        docker -H $dockerHost image inspect renku-ps-test/build-base:1 *> $null
        $engineUp = $LASTEXITCODE -eq 0
    }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Renku.PowerShell') -Force
    $dockerHost = if ($env:RENKU_TEST_DOCKER_HOST) { $env:RENKU_TEST_DOCKER_HOST } else { 'unix:///tmp/renku-ps-test-docker/docker.sock' }

    function New-TestContext {
        $directory = Join-Path ([System.IO.Path]::GetTempPath()) ("renku-ps-pester-" + [guid]::NewGuid().ToString('N').Substring(0, 8))
        New-Item -ItemType Directory -Path $directory | Out-Null
        $directory
    }
}

AfterAll {
    Remove-Module Renku.PowerShell -ErrorAction SilentlyContinue
}

Describe 'Build-RenkuImage' {
    Context 'input checks (no engine needed)' {
        BeforeEach {
            $context = New-TestContext
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value 'FROM scratch'
        }

        AfterEach {
            Remove-Item -Recurse -Force $context
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

    Context 'with a Docker engine' {
        BeforeAll {
            $context = New-TestContext
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM renku-ps-test/build-base:1`nARG GREETING=none`nRUN echo `$GREETING > /greeting`nCOPY . /ctx/"
            Set-Content -Path (Join-Path $context '.dockerignore') -Value "*.log"
            Set-Content -Path (Join-Path $context 'keep.txt') -Value 'keep'
            Set-Content -Path (Join-Path $context 'drop.log') -Value 'drop'
            $tag = 'renku-ps-pester/build:' + [guid]::NewGuid().ToString('N').Substring(0, 8)
        }

        AfterAll {
            if (Get-Command docker -ErrorAction SilentlyContinue) { docker -H $dockerHost rmi -f $tag *> $null }
            Remove-Item -Recurse -Force $context
        }

        It 'builds, tags and returns an ImageBuildResult' -Skip:(-not $engineUp) {
            $result = Build-RenkuImage $context -Tag $tag -BuildArg @{ GREETING = 'hi' } -DockerHost $dockerHost
            $result | Should -BeOfType ([Renku.PowerShell.ImageBuildResult])
            $result.ImageId | Should -Match '^sha256:[0-9a-f]{64}$'
            $result.Tags | Should -Contain "docker.io/$tag"
            $result.ContextFiles | Should -Be 3
        }

        It 'verifies the image before pushing and stops a non-compliant one' -Skip:(-not $engineUp) {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM renku-ps-test/build-base:1`nUSER root"
            { Build-RenkuImage $context -Tag $tag -Verify -FailOn Error -DockerHost $dockerHost } |
                Should -Throw -ErrorId 'ComplianceFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }

        It 'reports a failing step as DockerBuildFailed' -Skip:(-not $engineUp) {
            Set-Content -Path (Join-Path $context 'Dockerfile') -Value "FROM renku-ps-test/build-base:1`nRUN exit 7"
            { Build-RenkuImage $context -DockerHost $dockerHost -ErrorAction Stop } |
                Should -Throw -ErrorId 'DockerBuildFailed,Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand'
        }
    }
}
