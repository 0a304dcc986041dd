# The pipes people try: each cmdlet's output piped into the next natural cmdlet, one row per pair.
# Each row says what goes in, what must come out, and what must carry over (the image, the
# environment), so a pipe that binds the wrong property or nothing at all fails.
BeforeDiscovery {
    $pipes = @(
        @{ Pipe = 'Get-RenkuImage | Test-RenkuImageCompliance'; Run = { Get-RenkuImage $image | Test-RenkuImageCompliance }; Type = 'ComplianceReport'; Check = { param($out) $out.Reference.FullName | Should -Be $image } }
        @{ Pipe = 'Get-RenkuImage | Get-RenkuImageUpgrade'; Run = { Get-RenkuImage $versioned | Get-RenkuImageUpgrade }; Type = 'ImageUpgrade'; Check = { param($out) $out.CurrentTag | Should -Be '1.0.0'; $out.Candidate | Should -Be '1.1.0' } }
        @{ Pipe = 'Get-RenkuImage | ConvertTo-RenkuImageReference'; Run = { Get-RenkuImage $image | ConvertTo-RenkuImageReference }; Type = 'ImageReference'; Check = { param($out) $out.FullName | Should -Be $image } }
        @{ Pipe = 'ConvertTo-RenkuImageReference | Get-RenkuImage'; Run = { ConvertTo-RenkuImageReference $image | Get-RenkuImage }; Type = 'ImageInfo'; Check = { param($out) $out.Reference.FullName | Should -Be $image } }
        @{ Pipe = 'Get-RenkuImageTag | Get-RenkuImage'; Run = { Get-RenkuImageTag $repository | Where-Object Name -EQ '1.1.0' | Get-RenkuImage }; Type = 'ImageInfo'; Check = { param($out) $out.Reference.Tag | Should -Be '1.1.0' } }
        @{ Pipe = 'Get-RenkuImageTag | Test-RenkuImageCompliance'; Run = { Get-RenkuImageTag $repository | Where-Object Name -EQ '1.1.0' | Test-RenkuImageCompliance }; Type = 'ComplianceReport'; Check = { param($out) $out.Reference.Tag | Should -Be '1.1.0' } }
        @{ Pipe = 'Test-RenkuImageCompliance | Get-RenkuImageUpgrade'; Run = { Test-RenkuImageCompliance $versioned | Get-RenkuImageUpgrade }; Type = 'ImageUpgrade'; Check = { param($out) $out.CurrentTag | Should -Be '1.0.0' } }
        @{ Pipe = 'Test-RenkuImageCompliance | Get-RenkuImage'; Run = { Test-RenkuImageCompliance $image | Get-RenkuImage }; Type = 'ImageInfo'; Check = { param($out) $out.Reference.FullName | Should -Be $image } }
        @{ Pipe = 'Test-RenkuImageCompliance | Export-RenkuComplianceReport -PassThru'; Run = { Test-RenkuImageCompliance $image | Export-RenkuComplianceReport -Format JUnit -Path (Join-Path $TestDrive 'pipe.xml') -PassThru }; Type = 'FileInfo'; Check = { param($out) $out.Name | Should -Be 'pipe.xml' } }
        @{ Pipe = 'Get-RenkuImageUpgrade | Update-RenkuImageTag'; Run = { Get-RenkuImageUpgrade -Path $dockerfile | Update-RenkuImageTag }; Type = 'ImageTagUpdate'; Check = { param($out) $out.NewImage | Should -Be "$($repository):1.1.0"; $out.Applied | Should -BeTrue; Get-Content -Raw $dockerfile | Should -Match ([regex]::Escape("FROM $($repository):1.1.0")) } }
        @{ Pipe = 'Get-RenkuImageUpgrade | Test-RenkuImageCompliance -Candidate'; Run = { Get-RenkuImageUpgrade $versioned | Test-RenkuImageCompliance -Candidate }; Type = 'ComplianceReport'; Check = { param($out) $out.Reference.FullName | Should -Be "$($repository):1.1.0" } }
        @{ Pipe = 'Get-RenkuGlobalEnvironment | Get-RenkuImageUpgrade | Update-RenkuImageTag'; Run = { Get-RenkuGlobalEnvironment -Name 'Pipe lab' | Get-RenkuImageUpgrade | Update-RenkuImageTag -WhatIf }; Type = 'ImageTagUpdate'; Check = { param($out) $out.Target | Should -Match '^Pipe lab'; $out.NewImage | Should -Be "$($repository):1.1.0" } }
        @{ Pipe = 'Get-RenkuGlobalEnvironment | Test-RenkuImageCompliance'; Run = { Get-RenkuGlobalEnvironment -Name 'Pipe lab' | Test-RenkuImageCompliance }; Type = 'ComplianceReport'; Check = { param($out) $out.Environment | Should -Be 'Pipe lab'; $out.Settings.Port | Should -Be 8888 } }
        @{ Pipe = 'Get-RenkuGlobalEnvironment | Get-RenkuImage'; Run = { Get-RenkuGlobalEnvironment -Name 'Pipe lab' | Get-RenkuImage }; Type = 'ImageInfo'; Check = { param($out) $out.Reference.FullName | Should -Be $versioned } }
        @{ Pipe = 'Get-RenkuGlobalEnvironment | Get-RenkuSessionLauncher'; Run = { Get-RenkuGlobalEnvironment -Name 'Pipe lab' | Get-RenkuSessionLauncher }; Type = 'SessionLauncher'; Check = { param($out) $out.Name | Should -Be 'Pipe launcher' } }
        @{ Pipe = 'Get-RenkuGlobalEnvironment | Export-RenkuGlobalEnvironment -PassThru'; Run = { Get-RenkuGlobalEnvironment -Name 'Pipe lab' | Export-RenkuGlobalEnvironment -Path (Join-Path $TestDrive 'pipe.yaml') -PassThru }; Type = 'FileInfo'; Check = { param($out) Get-Content -Raw $out.FullName | Should -Match 'Pipe lab' } }
        @{ Pipe = 'Get-RenkuEnvironmentReport | Export-RenkuEnvironmentReport -PassThru'; Run = { Get-RenkuEnvironmentReport | Export-RenkuEnvironmentReport -Path (Join-Path $TestDrive 'pipe.html') -PassThru }; Type = 'FileInfo'; Check = { param($out) Get-Content -Raw $out.FullName | Should -Match 'Pipe lab' } }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $parts = Start-TestPart -Name registry, renku
    if ($parts.Registry) {
        $image = $parts.Registry.images.compliant
        $repository = $parts.Registry.images.versions
        $versioned = "$($repository):1.0.0"
        $dockerfile = Join-Path $TestDrive 'Dockerfile'
        "FROM $versioned", 'USER 1000' | Set-Content -Path $dockerfile
    }

    if ($parts.Renku -and $parts.Registry) {
        Connect-RenkuInstance -Uri $parts.Renku.uri -AccessToken (Get-RenkuTestToken $parts) | Out-Null
        New-RenkuGlobalEnvironment -Name 'Pipe lab' -Image $versioned -Port 8888
        $environment = Get-RenkuGlobalEnvironment -Name 'Pipe lab'
        Invoke-RestMethod -Method Post -Uri "$($parts.Renku.uri)_test/launchers?name=Pipe%20launcher&environment_id=$($environment.Id)" | Out-Null
    }
}

AfterAll {
    Disconnect-RenkuInstance -ErrorAction SilentlyContinue
    Stop-TestPart $parts
}

Describe 'Pipes between cmdlets' {
    It '<Pipe>' -ForEach $pipes {
        Assert-TestPart $parts registry
        Assert-TestPart $parts renku
        $ErrorActionPreference = 'Stop'
        $out = @(& $Run 3>$null 6>$null)
        $out | Should -HaveCount 1 -Because "$Pipe gives one object for one input"
        $out[0].GetType().Name | Should -Be $Type
        & $Check $out[0]
    }
}
