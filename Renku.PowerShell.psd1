@{
    RootModule           = 'Renku.PowerShell.dll'
    # Imported before the root module: hooks the module's own load context (see the Loader project).
    NestedModules        = @('Renku.PowerShell.Loader.dll')
    # The build stamps this from Directory.Build.props (VersionPrefix); a test keeps them equal.
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f2d8e-3c1a-4c57-9a43-6f2e1d7b9c10'
    Author               = 'Renku.PowerShell contributors'
    CompanyName          = 'Renku.PowerShell contributors'
    Copyright            = '(c) Renku.PowerShell contributors. Apache License 2.0.'
    Description          = 'Administer Renku from PowerShell: global session environments as code, image compliance checks against Renku''s rules, Renku-ready image builds and upgrade audits.'
    CompatiblePSEditions = @('Core')
    PowerShellVersion    = '7.4'
    FormatsToProcess     = @('Renku.PowerShell.format.ps1xml')
    CmdletsToExport      = @(
        'Build-RenkuImage',
        'Connect-RenkuInstance',
        'ConvertTo-RenkuImageReference',
        'Disconnect-RenkuInstance',
        'Export-RenkuComplianceReport',
        'Export-RenkuEnvironmentReport',
        'Export-RenkuGlobalEnvironment',
        'Get-RenkuConnection',
        'Get-RenkuEnvironmentReport',
        'Get-RenkuGlobalEnvironment',
        'Get-RenkuImage',
        'Get-RenkuImageTag',
        'Get-RenkuImageUpgrade',
        'Get-RenkuSession',
        'Get-RenkuResourcePool',
        'Get-RenkuSessionLauncher',
        'New-RenkuGlobalEnvironment',
        'Remove-RenkuGlobalEnvironment',
        'Set-RenkuGlobalEnvironment',
        'Sync-RenkuGlobalEnvironment',
        'Test-RenkuImageCompliance',
        'Update-RenkuImageTag'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Renku', 'DataScience', 'Containers', 'OCI', 'Docker', 'Compliance', 'DevOps', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/renku-powershell/Renku.PowerShell'
            LicenseUri   = 'https://github.com/renku-powershell/Renku.PowerShell/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/renku-powershell/Renku.PowerShell/blob/main/CHANGELOG.md'
        }
    }
}
