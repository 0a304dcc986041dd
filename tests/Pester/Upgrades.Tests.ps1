BeforeDiscovery {
    # -Skip is decided at discovery, before BeforeAll runs.
    $script:hasRegistry = [bool](Get-Command docker-registry -ErrorAction SilentlyContinue)
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../out/Renku.PowerShell') -Force

    # A real registry on loopback, with one small image pushed under several tags.
    $script:registryBinary = Get-Command docker-registry -ErrorAction SilentlyContinue
    if ($registryBinary) {
        $script:work = Join-Path ([System.IO.Path]::GetTempPath()) "renku-ps-pester-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
        New-Item -ItemType Directory -Path $work | Out-Null
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start(); $script:port = $listener.LocalEndpoint.Port; $listener.Stop()
        @"
version: 0.1
storage:
  filesystem:
    rootdirectory: $work/storage
http:
  addr: 127.0.0.1:$port
"@ | Set-Content -Path "$work/config.yml"
        $script:registry = Start-Process -FilePath $registryBinary.Source -ArgumentList 'serve', "$work/config.yml" -PassThru -RedirectStandardError "$work/registry.log"
        $base = "http://127.0.0.1:$port/v2"
        $deadline = (Get-Date).AddSeconds(20)
        while ((Get-Date) -lt $deadline) {
            try { Invoke-RestMethod "$base/" | Out-Null; break } catch { Start-Sleep -Milliseconds 100 }
        }

        function Push-Blob([string] $Repository, [byte[]] $Bytes) {
            $digest = 'sha256:' + [Convert]::ToHexString([System.Security.Cryptography.SHA256]::HashData($Bytes)).ToLowerInvariant()
            $start = Invoke-WebRequest -Method Post "$base/$Repository/blobs/uploads/"
            $location = [string]$start.Headers.Location
            $separator = if ($location.Contains('?')) { '&' } else { '?' }
            if (-not $location.StartsWith('http')) { $location = "http://127.0.0.1:$port$location" }
            Invoke-WebRequest -Method Put "$location$($separator)digest=$digest" -Body $Bytes -ContentType 'application/octet-stream' | Out-Null
            return @{ digest = $digest; size = $Bytes.Length }
        }

        $script:repository = 'team/session'
        $config = Push-Blob $repository ([System.Text.Encoding]::UTF8.GetBytes('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{}}'))
        $manifest = @{ schemaVersion = 2; mediaType = 'application/vnd.oci.image.manifest.v1+json'; config = @{ mediaType = 'application/vnd.oci.image.config.v1+json'; digest = $config.digest; size = $config.size }; layers = @() } | ConvertTo-Json -Depth 5
        foreach ($tag in '1.0.0', '1.0.1', '1.1.0', '2.0.0', 'latest', 'abc1234') {
            Invoke-WebRequest -Method Put "$base/$repository/manifests/$tag" -Body $manifest -ContentType 'application/vnd.oci.image.manifest.v1+json' | Out-Null
        }

        $script:image = "127.0.0.1:$port/$repository"
    }
}

AfterAll {
    if ($registry) { Stop-Process -Id $registry.Id -Force -ErrorAction SilentlyContinue }
    if ($work) { Remove-Item -Recurse -Force $work -ErrorAction SilentlyContinue }
    Remove-Module Renku.PowerShell -ErrorAction SilentlyContinue
}

Describe 'Get-RenkuImageUpgrade' {
    It 'chooses the newest minor by default and reports the newest major' -Skip:(-not $hasRegistry) {
        $row = Get-RenkuImageUpgrade "$($image):1.0.0"
        $row | Should -BeOfType ([Renku.PowerShell.ImageUpgrade])
        $row.Candidate | Should -Be '1.1.0'
        $row.NewestMajor | Should -Be '2.0.0'
        $row.Status | Should -Be 'MajorAvailable'
    }

    It 'flags unpinned images' -Skip:(-not $hasRegistry) {
        (Get-RenkuImageUpgrade "$($image):latest").Status | Should -Be 'Unpinned'
    }

    It 'takes environment objects from the pipeline' -Skip:(-not $hasRegistry) {
        $environment = [pscustomobject]@{ Name = 'Python'; Id = '01JTEST0000000000000000000'; Image = "$($image):1.0.1" }
        $row = $environment | Get-RenkuImageUpgrade
        $row.SourceKind | Should -Be 'Environment'
        $row.EnvironmentName | Should -Be 'Python'
        $row.Candidate | Should -Be '1.1.0'
    }

    It 'rejects a bad version range with InvalidVersionRange' {
        { Get-RenkuImageUpgrade 'python:3.12' -VersionRange '[3.0,,' -ErrorAction Stop } |
            Should -Throw -ErrorId 'InvalidVersionRange,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }

    It 'reports a missing Dockerfile with DockerfileNotFound' {
        { Get-RenkuImageUpgrade -LiteralPath (Join-Path $TestDrive 'nope/Dockerfile') -ErrorAction Stop } |
            Should -Throw -ErrorId 'DockerfileNotFound,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand'
    }
}

Describe 'Update-RenkuImageTag' {
    BeforeEach {
        $script:dockerfile = Join-Path $TestDrive 'Dockerfile'
        if ($registryBinary) {
            Set-Content -Path $dockerfile -Value "# base`nFROM $($image):1.0.0 AS base`nUSER renku" -NoNewline
        }
    }

    It 'shows the change with -WhatIf and writes nothing' -Skip:(-not $hasRegistry) {
        $before = Get-Content -Raw $dockerfile
        $result = Update-RenkuImageTag -Path $dockerfile -WhatIf
        $result.Applied | Should -BeFalse
        Get-Content -Raw $dockerfile | Should -Be $before
    }

    It 'rewrites only the tag of the FROM line' -Skip:(-not $hasRegistry) {
        $result = Get-RenkuImageUpgrade -Path $dockerfile | Update-RenkuImageTag -Confirm:$false
        $result.Applied | Should -BeTrue
        Get-Content -Raw $dockerfile | Should -Be "# base`nFROM $($image):1.1.0 AS base`nUSER renku"
    }
}
