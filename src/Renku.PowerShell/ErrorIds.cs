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

    // Kubernetes (Get-RenkuSession, the cluster session check)
    public const string KubernetesNotConfigured = "KubernetesNotConfigured";
    public const string KubernetesConfigurationInvalid = "KubernetesConfigurationInvalid";
    public const string KubernetesUnreachable = "KubernetesUnreachable";
    public const string KubernetesUnauthorized = "KubernetesUnauthorized";
    public const string KubernetesForbidden = "KubernetesForbidden";
    public const string KubernetesNotFound = "KubernetesNotFound";
    public const string KubernetesListExpired = "KubernetesListExpired";
    public const string KubernetesRequestFailed = "KubernetesRequestFailed";
    public const string AmaltheaNotInstalled = "AmaltheaNotInstalled";
    public const string UnsupportedSessionInput = "UnsupportedSessionInput";
}
