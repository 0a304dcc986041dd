#Requires -Version 7.4

BeforeAll {
    $script:moduleRoot = Join-Path $PSScriptRoot '../../out/Renku.PowerShell'
    $script:manifest = Get-ChildItem -Path $moduleRoot -Filter Renku.PowerShell.psd1 -Recurse | Select-Object -First 1
    Import-Module $moduleRoot -Force
}

AfterAll {
    Remove-Module Renku.PowerShell -ErrorAction SilentlyContinue
}

Describe 'Renku.PowerShell module' {
    It 'has a valid manifest' {
        { Test-ModuleManifest -Path $manifest.FullName -ErrorAction Stop } | Should -Not -Throw
    }

    It 'targets PowerShell 7.4 Core' {
        $info = Test-ModuleManifest -Path $manifest.FullName
        $info.PowerShellVersion | Should -Be ([version]'7.4')
        $info.CompatiblePSEditions | Should -Contain 'Core'
    }

    It 'exports exactly the cmdlets its manifest lists' {
        $declared = (Import-PowerShellDataFile $manifest.FullName).CmdletsToExport | Sort-Object
        $exported = (Get-Command -Module Renku.PowerShell).Name | Sort-Object
        $exported | Should -Be $declared
    }
}

Describe 'Help for <_>' -ForEach @((Get-Command -Module Renku.PowerShell -ErrorAction SilentlyContinue).Name) {
    BeforeAll {
        $script:help = Get-Help -Name $_ -Full
        $script:command = Get-Command -Name $_
    }

    It 'has a synopsis' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$([regex]::Escape($_))\s"
    }

    It 'has at least one example' {
        @($help.Examples.Example).Count | Should -BeGreaterThan 0
        @($help.Examples.Example)[0].Code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
        foreach ($name in $command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $parameterHelp = $help.Parameters.Parameter | Where-Object Name -EQ $name
            $parameterHelp | Should -Not -BeNullOrEmpty -Because "-$name needs a help entry"
            ($parameterHelp.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }
}
