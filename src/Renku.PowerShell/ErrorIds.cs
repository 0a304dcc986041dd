namespace Renku.PowerShell;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";

    // Image inspection and registries.
    public const string ImageNotFound = "ImageNotFound";
    public const string RegistryUnauthorized = "RegistryUnauthorized";
    public const string RegistryUnreachable = "RegistryUnreachable";
    public const string RegistryRateLimited = "RegistryRateLimited";
    public const string RegistryInvalidResponse = "RegistryInvalidResponse";
    public const string DigestMismatch = "DigestMismatch";
    public const string ImageTooLarge = "ImageTooLarge";
    public const string PlatformNotFound = "PlatformNotFound";
    public const string UnsupportedManifest = "UnsupportedManifest";
    public const string InvalidPlatform = "InvalidPlatform";
    public const string InvalidImageArchive = "InvalidImageArchive";
    public const string ImageArchiveNotFound = "ImageArchiveNotFound";

    // Compliance.
    public const string InvalidCompliancePolicy = "InvalidCompliancePolicy";
    public const string DockerfileNotFound = "DockerfileNotFound";
    public const string DockerfileUnreadable = "DockerfileUnreadable";
    public const string DockerEngineUnavailable = "DockerEngineUnavailable";
    public const string ImageUnreadable = "ImageUnreadable";
    public const string ArchiveUnreadable = "ArchiveUnreadable";
    public const string InvalidEnvironmentSettings = "InvalidEnvironmentSettings";
    public const string ComplianceFailed = "ComplianceFailed";
    public const string ReportPathInvalid = "ReportPathInvalid";
    public const string ReportFileExists = "ReportFileExists";

    // Image builds (DockerEngineUnavailable is shared with compliance, above).
    public const string InvalidBuildInput = "InvalidBuildInput";
    public const string DockerBuildFailed = "DockerBuildFailed";
    public const string DockerPushFailed = "DockerPushFailed";
    public const string PushRequiresTag = "PushRequiresTag";
    public const string GitRevisionUnavailable = "GitRevisionUnavailable";
    public const string PackNotFound = "PackNotFound";
    public const string PackBuildFailed = "PackBuildFailed";
}
