using System.Runtime.CompilerServices;
using Renku.PowerShell;

// The object model: every public type of the engine's root namespace (what cmdlets write and take).
// The engine lives in the module's own load context, where PowerShell's type resolution does not
// look; PowerShell does search this assembly (the module's root), and these forwarders send it on
// to the engine's types, so [Renku.PowerShell.ImageReference], -is and casts work in pwsh. A test
// keeps this list equal to the engine's root namespace.
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ComplianceFailOn))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ComplianceOutcome))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ComplianceReport))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ComplianceResult))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ComplianceSeverity))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.EnvironmentChange))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.EnvironmentChangeAction))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.EnvironmentFieldChange))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.GlobalEnvironment))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageBuildMode))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageBuildResult))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageConfiguration))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageFile))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageInfo))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageLayer))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImagePlatform))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageReference))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageSourceKind))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageTag))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageTagUpdate))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageUpgrade))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ImageUser))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.PublicAccess))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.ReadinessProbeSettings))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.RenkuConnection))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.RenkuSession))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionCheck))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionEvent))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionLauncher))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionLayout))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionOutcome))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.SessionSettings))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.TagKind))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.UpgradeLevel))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.UpgradeSourceKind))]
[assembly: TypeForwardedTo(typeof(Renku.PowerShell.UpgradeStatus))]
