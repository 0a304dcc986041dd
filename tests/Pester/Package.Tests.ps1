# The package as users install it: the .nupkg the build packs, installed with Install-PSResource
# from a local repository into a temporary user folder, imported by name in a fresh pwsh.
BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    $root = Get-RepositoryRoot
    $staged = Get-ChildItem -Path (Get-StagedModulePath) -Filter 'Renku.PowerShell.psd1' -Recurse | Select-Object -First 1
    $version = (Import-PowerShellDataFile $staged.FullName).ModuleVersion

    # The package, made by the build tool from the staged module (what ./build.ps1 -Task Package runs).
    $tool = Get-ChildItem -Path (Join-Path $root 'tools/Renku.PowerShell.BuildTools/bin') -Recurse -Filter 'Renku.PowerShell.BuildTools.dll' |
        Where-Object { $_.Directory.Name -eq 'net10.0' } | Sort-Object LastWriteTime -Descending | Select-Object -First 1
    $packages = Join-Path $TestDrive 'packages'
    dotnet $tool.FullName pack --module $staged.DirectoryName --out $packages | Out-Null

    # A user of their own, so nothing of this machine's user is read or changed: PSResourceGet keeps
    # its repository list under XDG_DATA_HOME and installs for the current user under
    # HOME/.local/share/powershell/Modules. The folders must exist: .NET answers an empty path for
    # a special folder that does not.
    $userHome = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'home')).FullName
    $user = @{ HOME = $userHome }
    foreach ($name in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') {
        $user[$name] = (New-Item -ItemType Directory -Path (Join-Path $userHome $name.ToLowerInvariant())).FullName
    }

    $modules = Join-Path $userHome '.local/share/powershell/Modules'
    $user.PSModulePath = "$modules$([System.IO.Path]::PathSeparator)$(Join-Path $PSHOME 'Modules')"
    $install = Invoke-ChildPwsh -Environment $user -Command @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name RenkuLocal -Uri '$packages' -Trusted
Install-PSResource -Name Renku.PowerShell -Repository RenkuLocal -Scope CurrentUser -Quiet
(Get-InstalledPSResource -Name Renku.PowerShell).InstalledLocation
"@
}

Describe 'The Renku.PowerShell package' {
    It 'is packed as Renku.PowerShell.<version>.nupkg' {
        Join-Path $packages "Renku.PowerShell.$version.nupkg" | Should -Exist
    }

    It 'installs with Install-PSResource from a local repository' {
        $install.ExitCode | Should -Be 0 -Because $install.Errors
        Join-Path $modules "Renku.PowerShell/$version/Renku.PowerShell.psd1" | Should -Exist
        Join-Path $modules "Renku.PowerShell/$version/dependencies/Renku.PowerShell.Engine.dll" | Should -Exist
    }

    It 'imports by name in a fresh pwsh and runs a cmdlet' {
        $result = Invoke-ChildPwsh -Environment $user -Command @'
$ErrorActionPreference = 'Stop'
Import-Module Renku.PowerShell
(Get-Module Renku.PowerShell).ModuleBase
(ConvertTo-RenkuImageReference python).FullName
'@
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        $lines = $result.Output -split "`r?`n" | Where-Object { $_ }
        $lines[0] | Should -Be (Join-Path $modules "Renku.PowerShell/$version") -Because 'the module is found by name on PSModulePath, not from the checkout'
        $lines[1] | Should -Be 'docker.io/library/python:latest'
    }

    It 'shows synopsis, parameters and examples with Get-Help -Full there' {
        $result = Invoke-ChildPwsh -Environment $user -Command @'
$ErrorActionPreference = 'Stop'
Import-Module Renku.PowerShell
Get-Help Test-RenkuImageCompliance -Full | Out-String -Width 200
'@
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        $result.Output | Should -Match 'SYNOPSIS\s+Checks container images against Renku''s rules'
        $result.Output | Should -Match '-Dockerfile <String>'
        $result.Output | Should -Match '-+ Example 1'
        $result.Output | Should -Match 'RELATED LINKS\s+Online Version: https://github.com/renku-powershell/Renku.PowerShell/blob/main/docs/help/Test-RenkuImageCompliance.md'
    }
}
