# The module as a whole: its manifest, its help (offline, online and Update-Help), the object
# model nameable in pwsh, and the isolation of its dependencies in their own load context.
BeforeDiscovery {
    $root = Resolve-Path (Join-Path $PSScriptRoot '../..')
    # Both lists come from the sources, so they are known before the module is imported.
    $cmdlets = (Import-PowerShellDataFile (Join-Path $root 'Renku.PowerShell.psd1')).CmdletsToExport
    $objectModel = [regex]::Matches((Get-Content -Raw (Join-Path $root 'src/Renku.PowerShell/TypeForwards.cs')), 'typeof\((Renku\.PowerShell\.\w+)\)') |
        ForEach-Object { $_.Groups[1].Value }
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestParts.psm1') -Force
    Import-ModuleUnderTest
    $manifest = Get-ChildItem -Path (Get-StagedModulePath) -Filter 'Renku.PowerShell.psd1' -Recurse | Select-Object -First 1
    $projectUri = (Import-PowerShellDataFile $manifest.FullName).PrivateData.PSData.ProjectUri
}

Describe 'The Renku.PowerShell manifest' {
    It 'is valid' {
        { Test-ModuleManifest -Path $manifest.FullName -ErrorAction Stop } | Should -Not -Throw
    }

    It 'targets PowerShell 7.4 Core' {
        $info = Test-ModuleManifest -Path $manifest.FullName
        $info.PowerShellVersion | Should -Be ([version]'7.4')
        $info.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the cmdlets it lists' {
        $declared = (Import-PowerShellDataFile $manifest.FullName).CmdletsToExport | Sort-Object
        (Get-Command -Module Renku.PowerShell).Name | Sort-Object | Should -Be $declared
    }
}

Describe 'Help for <_>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help -Name $_ -Full
        $command = Get-Command -Name $_ -Module Renku.PowerShell
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_))\s" -Because 'a generated synopsis only repeats the syntax'
    }

    It 'has at least one example' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        @($help.Examples.Example)[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter, hidden ones included' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object Name -EQ $name
            $parameterHelp | Should -Not -BeNullOrEmpty -Because "-$name needs a help entry"
            ($parameterHelp.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }

    It 'shows only documented parameters in Get-Command -Syntax' {
        $documented = @($help.Parameters.Parameter.Name) + [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        $syntax = Get-Command -Name $_ -Module Renku.PowerShell -Syntax | Out-String
        $shown = [regex]::Matches($syntax, '(?<=[\[\s])-(\w+)') | ForEach-Object { $_.Groups[1].Value } | Select-Object -Unique
        $syntax | Should -Match ([regex]::Escape($_))
        $shown | Where-Object { $_ -notin $documented } | Should -BeNullOrEmpty -Because 'a parameter people see in the syntax must have a help entry'
        $syntax | Should -Not -Match 'PipelineRecord'
    }

    It 'names its page in the project repository as the online version' {
        @($help.relatedLinks.navigationLink)[0].uri | Should -Be "$projectUri/blob/main/docs/help/$_.md" -Because 'Get-Help -Online opens the first related link'
    }
}

Describe 'Get-Help -Online' {
    It 'opens the cmdlet''s page in the project repository' {
        # A stand-in for the desktop's URL opener records what pwsh asks it to open.
        $bin = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'bin')
        $opened = Join-Path $TestDrive 'opened.txt'
        Set-Content -Path (Join-Path $bin 'xdg-open') -Value "#!/bin/sh`nprintf '%s\n' `"`$1`" > '$opened'"
        chmod +x (Join-Path $bin 'xdg-open')
        $result = Invoke-ChildPwsh -Command "Import-Module '$(Get-StagedModulePath)'; Get-Help Get-RenkuImage -Online" -Environment @{ PATH = "$bin$([System.IO.Path]::PathSeparator)$env:PATH" }
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        Get-Content $opened | Should -Be "$projectUri/blob/main/docs/help/Get-RenkuImage.md"
    }
}

Describe 'Update-Help' {
    It 'says the help ships with the module and points to Get-Help -Online' {
        # The help is in the module (en-US MAML), updated with each release; there is no
        # updatable-help feed, so the manifest has no HelpInfoUri and pwsh says so.
        (Get-Module Renku.PowerShell).HelpInfoUri | Should -BeNullOrEmpty
        Update-Help -Module Renku.PowerShell -UICulture en-US -ErrorAction SilentlyContinue -ErrorVariable failures
        $failures | Should -HaveCount 1
        $failures[0].FullyQualifiedErrorId | Should -Be 'HelpInfoUriNotFound,Microsoft.PowerShell.Commands.UpdateHelpCommand'
        $failures[0].Exception.Message | Should -Match 'Get-Help -Online'
    }
}

Describe 'The object model in pwsh' {
    It 'resolves [<_>] by name to the engine''s type' -ForEach $objectModel {
        $type = [type]$_
        $type.FullName | Should -Be $_
        $type.Assembly.GetName().Name | Should -Be 'Renku.PowerShell.Engine'
    }

    It 'supports -is, casts, enum members and Should -BeOfType' {
        $reference = ConvertTo-RenkuImageReference 'python:3.12'
        $reference -is [Renku.PowerShell.ImageReference] | Should -BeTrue
        $reference | Should -BeOfType ([Renku.PowerShell.ImageReference])
        [Renku.PowerShell.TagKind]::Semver | Should -BeOfType ([Renku.PowerShell.TagKind])
        [Renku.PowerShell.ComplianceFailOn]'Error' | Should -Be ([Renku.PowerShell.ComplianceFailOn]::Error)
        [enum]::GetNames([Renku.PowerShell.UpgradeLevel]) | Should -Contain 'Minor'
    }

    It 'keeps the engine in the module''s own load context' {
        [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Renku.PowerShell.ImageReference].Assembly).Name |
            Should -Be 'Renku.PowerShell' -Because 'only the type names are forwarded; the engine and its dependencies stay isolated'
    }
}

Describe 'Dependency isolation' {
    It 'works beside another version of one of its dependencies loaded first, and so does that version' {
        $hostCopy = Get-ChildItem -Path (Join-Path (Get-NuGetPackageRoot) 'nuget.versioning') -Directory |
            Where-Object Name -Like '6.*' | Sort-Object { [version]$_.Name } -Descending | Select-Object -First 1
        $hostCopy | Should -Not -BeNullOrEmpty -Because 'the test command restores NuGet.Versioning 6.x (the unit tests use it)'
        $dll = Join-Path $hostCopy.FullName 'lib/netstandard2.0/NuGet.Versioning.dll'
        $script = @"
`$ErrorActionPreference = 'Stop'
Add-Type -Path '$dll'
'host ' + [NuGet.Versioning.NuGetVersion].Assembly.GetName().Version.Major
Import-Module '$(Get-StagedModulePath)'
'module ' + ((ConvertTo-RenkuImageReference 'app:v1.2', 'python:3.12-slim').TagKind -join ',')
`$moduleCopy = [System.Runtime.Loader.AssemblyLoadContext]::All | Where-Object Name -EQ 'Renku.PowerShell' | ForEach-Object Assemblies | Where-Object { `$_.GetName().Name -eq 'NuGet.Versioning' }
'module copy ' + `$moduleCopy.GetName().Version.Major
'host still ' + [NuGet.Versioning.NuGetVersion]::Parse('2.10.3').CompareTo([NuGet.Versioning.NuGetVersion]::Parse('2.9.9')) + ' ' + [NuGet.Versioning.NuGetVersion].Assembly.GetName().Version.Major
"@
        $result = Invoke-ChildPwsh -Command $script
        $result.ExitCode | Should -Be 0 -Because $result.Errors
        $lines = $result.Output -split "`r?`n" | Where-Object { $_ }
        $lines | Should -Be @('host 6', 'module Semver,SemverWithSuffix', 'module copy 7', 'host still 1 6')
    }
}

Describe 'Refusals and paths in pwsh' {
    BeforeAll {
        $cmdletAssembly = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'Renku.PowerShell' -and $_.Location } | Select-Object -First 1
        $errorTable = $cmdletAssembly.GetType('Renku.PowerShell.Commands.Core.ErrorIds').GetProperty('All', [Reflection.BindingFlags]'Static, NonPublic').GetValue($null)
    }

    It 'carry the one category the error table gives their id' {
        $seen = [System.Collections.ArrayList]::new()
        try { Test-RenkuImageCompliance -Dockerfile Env:/PATH | Out-Null } catch { $null = $seen.Add($_) }
        Get-RenkuImage -Path 'TestDrive:/none*.tar' -ErrorAction SilentlyContinue -ErrorVariable +seen | Out-Null
        ConvertTo-RenkuImageReference 'Bad/Upper' -ErrorAction SilentlyContinue -ErrorVariable +seen | Out-Null
        $seen.Count | Should -Be 3
        $seen.FullyQualifiedErrorId | ForEach-Object { $_.Split(',')[0] } | Should -Be 'DockerfileNotFound', 'ImageArchiveNotFound', 'InvalidImageReference'
        foreach ($record in $seen) {
            $id = $record.FullyQualifiedErrorId.Split(',')[0]
            $errorTable.ContainsKey($id) | Should -BeTrue -Because "$id is an id of the module"
            $record.CategoryInfo.Category | Should -Be $errorTable[$id] -Because "the table gives $id its category"
        }
        $seen[0].ErrorDetails.Message | Should -BeLike '*Environment provider*'
    }

    It 'resolves a path through a PSDrive and the current location' {
        Set-Content -LiteralPath TestDrive:/Dockerfile -Value "FROM debian:12`nUSER 1000"
        Test-RenkuImageCompliance -Dockerfile TestDrive:/Dockerfile | Should -HaveCount 1
        Push-Location TestDrive:/
        try {
            Test-RenkuImageCompliance -Dockerfile Dockerfile | Should -HaveCount 1
        }
        finally {
            Pop-Location
        }
    }
}
