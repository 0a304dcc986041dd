using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";

    /// <summary>A hashtable piped in holds a value its parameter cannot take.</summary>
    public const string InvalidPipelineInput = "InvalidPipelineInput";

    public const string InvalidVersionRange = "InvalidVersionRange";
    public const string InvalidDigestRecord = "InvalidDigestRecord";
    public const string DockerfileNotFound = "DockerfileNotFound";
    public const string InvalidDockerfile = "InvalidDockerfile";
    public const string InvalidUpgradeInput = "InvalidUpgradeInput";

    /// <summary>A file given to an upgrade audit that is neither a Dockerfile nor an environments file.</summary>
    public const string UnsupportedUpgradeFile = "UnsupportedUpgradeFile";
    public const string ImageTagUpdateFailed = "ImageTagUpdateFailed";
    // Image inspection and registries.
    public const string ImageNotFound = "ImageNotFound";
    public const string RegistryUnauthorized = "RegistryUnauthorized";
    public const string RegistryUnreachable = "RegistryUnreachable";
    public const string RegistryRateLimited = "RegistryRateLimited";
    public const string RegistryInvalidResponse = "RegistryInvalidResponse";
    public const string RegistryTimeout = "RegistryTimeout";
    public const string DigestMismatch = "DigestMismatch";
    public const string ImageTooLarge = "ImageTooLarge";
    public const string PlatformNotFound = "PlatformNotFound";
    public const string UnsupportedManifest = "UnsupportedManifest";
    public const string InvalidPlatform = "InvalidPlatform";
    public const string InvalidImageArchive = "InvalidImageArchive";
    public const string ImageArchiveNotFound = "ImageArchiveNotFound";
    // Connections and authentication.
    public const string RenkuNotConnected = "RenkuNotConnected";
    public const string RenkuCredentialRequired = "RenkuCredentialRequired";
    public const string InvalidRenkuUri = "InvalidRenkuUri";
    public const string RenkuUnauthorized = "RenkuUnauthorized";
    public const string RenkuAdminRequired = "RenkuAdminRequired";
    public const string RenkuAuthenticationFailed = "RenkuAuthenticationFailed";
    public const string DeviceAuthorizationDenied = "DeviceAuthorizationDenied";
    public const string DeviceAuthorizationExpired = "DeviceAuthorizationExpired";
    public const string RenkuUnreachable = "RenkuUnreachable";
    public const string RenkuTimeout = "RenkuTimeout";
    public const string InvalidAccessToken = "InvalidAccessToken";

    /// <summary>The identity provider's discovery document sent a secret to another host.</summary>
    public const string AuthorityEndpointRefused = "AuthorityEndpointRefused";

    /// <summary>A credential (Renku or registry) would have travelled over plain HTTP to a host that is not loopback.</summary>
    public const string UnencryptedCredentialRefused = "UnencryptedCredentialRefused";

    // Data API answers (each record carries the API's code and message).
    public const string RenkuForbidden = "RenkuForbidden";
    public const string RenkuNotFound = "RenkuNotFound";
    public const string RenkuConflict = "RenkuConflict";
    public const string RenkuValidationFailed = "RenkuValidationFailed";
    public const string RenkuServerError = "RenkuServerError";
    public const string RenkuApiError = "RenkuApiError";

    // Environments.
    public const string EnvironmentNotFound = "EnvironmentNotFound";

    /// <summary>Get-RenkuResourcePool -Id names a pool that does not exist or the caller cannot read.</summary>
    public const string ResourcePoolNotFound = "ResourcePoolNotFound";
    public const string EnvironmentInUse = "EnvironmentInUse";
    public const string InvalidEnvironmentId = "InvalidEnvironmentId";
    public const string InvalidProjectId = "InvalidProjectId";
    public const string ConflictingArchiveSwitches = "ConflictingArchiveSwitches";
    public const string EnvironmentFileNotFound = "EnvironmentFileNotFound";
    public const string EnvironmentFileInvalid = "EnvironmentFileInvalid";
    public const string EnvironmentFileExists = "EnvironmentFileExists";
    public const string DuplicateEnvironmentName = "DuplicateEnvironmentName";
    public const string EnvironmentNameAmbiguous = "EnvironmentNameAmbiguous";
    public const string EnvironmentNameTaken = "EnvironmentNameTaken";
    public const string EnvironmentFileEmpty = "EnvironmentFileEmpty";
    public const string PruneTooLarge = "PruneTooLarge";
    public const string ConfirmationRequired = "ConfirmationRequired";

    /// <summary>
    /// A value the data API would refuse: the id is this prefix and the parameter's name
    /// (InvalidEnvironmentName, InvalidEnvironmentImage, InvalidEnvironmentPort, InvalidEnvironmentUid,
    /// InvalidEnvironmentGid, InvalidEnvironmentDescription, InvalidEnvironmentDefaultUrl,
    /// InvalidEnvironmentWorkingDirectory, InvalidEnvironmentMountDirectory, InvalidEnvironmentCommand,
    /// InvalidEnvironmentArguments).
    /// </summary>
    public const string InvalidEnvironmentPrefix = "InvalidEnvironment";

    // Image inspection and registries.

    // Compliance.
    public const string InvalidCompliancePolicy = "InvalidCompliancePolicy";
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
    public const string InvalidDockerignore = "InvalidDockerignore";
    public const string BuildContextUnreadable = "BuildContextUnreadable";
    public const string DockerBuildFailed = "DockerBuildFailed";
    public const string DockerPushFailed = "DockerPushFailed";
    public const string PushRequiresTag = "PushRequiresTag";
    public const string GitRevisionUnavailable = "GitRevisionUnavailable";
    public const string PackNotFound = "PackNotFound";
    public const string PackBuildFailed = "PackBuildFailed";
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
    // Docker session checks that cannot be sure to reach their own session
    public const string SessionPortInUse = "SessionPortInUse";
    public const string SessionListenerUnverified = "SessionListenerUnverified";
    public const string SessionNetworkUnavailable = "SessionNetworkUnavailable";
}
