using System.Management.Automation;

using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped. Each id has one category,
/// <see cref="CategoryOf"/>, and every record <see cref="ErrorMap"/> builds takes it from there.
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

    // A value the data API would refuse, found before anything is sent: "InvalidEnvironment" and the
    // parameter that carries the field (EnvironmentValidationProblem.ErrorId; an environments file
    // reports the same ids for its keys).
    public const string InvalidEnvironmentName = "InvalidEnvironmentName";
    public const string InvalidEnvironmentDescription = "InvalidEnvironmentDescription";
    public const string InvalidEnvironmentImage = "InvalidEnvironmentImage";
    public const string InvalidEnvironmentDefaultUrl = "InvalidEnvironmentDefaultUrl";
    public const string InvalidEnvironmentPort = "InvalidEnvironmentPort";
    public const string InvalidEnvironmentUid = "InvalidEnvironmentUid";
    public const string InvalidEnvironmentGid = "InvalidEnvironmentGid";
    public const string InvalidEnvironmentWorkingDirectory = "InvalidEnvironmentWorkingDirectory";
    public const string InvalidEnvironmentMountDirectory = "InvalidEnvironmentMountDirectory";
    public const string InvalidEnvironmentCommand = "InvalidEnvironmentCommand";
    public const string InvalidEnvironmentArguments = "InvalidEnvironmentArguments";

    // The problems of reading an environments file (EnvironmentFileErrorIds; DuplicateEnvironmentName is above).
    public const string EnvironmentFileSyntaxError = EnvironmentFileErrorIds.SyntaxError;
    public const string EnvironmentFileShapeInvalid = EnvironmentFileErrorIds.ShapeInvalid;
    public const string EnvironmentFileUnknownKey = EnvironmentFileErrorIds.UnknownKey;
    public const string EnvironmentFileWrongType = EnvironmentFileErrorIds.WrongType;

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

    /// <summary>The category of every id: one each, whichever exception or command reports it.</summary>
    private static readonly Dictionary<string, ErrorCategory> Categories = new(StringComparer.Ordinal)
    {
        [InvalidImageReference] = ErrorCategory.InvalidArgument,
        [InvalidPipelineInput] = ErrorCategory.InvalidArgument,
        [InvalidVersionRange] = ErrorCategory.InvalidArgument,
        [InvalidDigestRecord] = ErrorCategory.InvalidData,
        [DockerfileNotFound] = ErrorCategory.ObjectNotFound,
        [InvalidDockerfile] = ErrorCategory.InvalidData,
        [InvalidUpgradeInput] = ErrorCategory.InvalidArgument,
        [UnsupportedUpgradeFile] = ErrorCategory.InvalidData,
        [ImageTagUpdateFailed] = ErrorCategory.InvalidOperation,
        [ImageNotFound] = ErrorCategory.ObjectNotFound,
        [RegistryUnauthorized] = ErrorCategory.PermissionDenied,
        [RegistryUnreachable] = ErrorCategory.ConnectionError,
        [RegistryRateLimited] = ErrorCategory.LimitsExceeded,
        [RegistryInvalidResponse] = ErrorCategory.InvalidData,
        [RegistryTimeout] = ErrorCategory.OperationTimeout,
        [DigestMismatch] = ErrorCategory.SecurityError,
        [ImageTooLarge] = ErrorCategory.LimitsExceeded,
        [PlatformNotFound] = ErrorCategory.ObjectNotFound,
        [UnsupportedManifest] = ErrorCategory.NotImplemented,
        [InvalidPlatform] = ErrorCategory.InvalidArgument,
        [InvalidImageArchive] = ErrorCategory.InvalidData,
        [ImageArchiveNotFound] = ErrorCategory.ObjectNotFound,
        [RenkuNotConnected] = ErrorCategory.ConnectionError,
        [RenkuCredentialRequired] = ErrorCategory.InvalidArgument,
        [InvalidRenkuUri] = ErrorCategory.InvalidArgument,
        [RenkuUnauthorized] = ErrorCategory.AuthenticationError,
        [RenkuAdminRequired] = ErrorCategory.PermissionDenied,
        [RenkuAuthenticationFailed] = ErrorCategory.AuthenticationError,
        [DeviceAuthorizationDenied] = ErrorCategory.PermissionDenied,
        [DeviceAuthorizationExpired] = ErrorCategory.OperationTimeout,
        [RenkuUnreachable] = ErrorCategory.ConnectionError,
        [RenkuTimeout] = ErrorCategory.OperationTimeout,
        [InvalidAccessToken] = ErrorCategory.InvalidArgument,
        [AuthorityEndpointRefused] = ErrorCategory.SecurityError,
        [UnencryptedCredentialRefused] = ErrorCategory.SecurityError,
        [RenkuForbidden] = ErrorCategory.PermissionDenied,
        [RenkuNotFound] = ErrorCategory.ObjectNotFound,
        [RenkuConflict] = ErrorCategory.ResourceExists,
        [RenkuValidationFailed] = ErrorCategory.InvalidData,
        [RenkuServerError] = ErrorCategory.InvalidResult,
        [RenkuApiError] = ErrorCategory.InvalidResult,
        [EnvironmentNotFound] = ErrorCategory.ObjectNotFound,
        [ResourcePoolNotFound] = ErrorCategory.ObjectNotFound,
        [EnvironmentInUse] = ErrorCategory.ResourceBusy,
        [InvalidEnvironmentId] = ErrorCategory.InvalidArgument,
        [InvalidProjectId] = ErrorCategory.InvalidArgument,
        [ConflictingArchiveSwitches] = ErrorCategory.InvalidArgument,
        [EnvironmentFileNotFound] = ErrorCategory.ObjectNotFound,
        [EnvironmentFileInvalid] = ErrorCategory.InvalidData,
        [EnvironmentFileExists] = ErrorCategory.ResourceExists,
        [DuplicateEnvironmentName] = ErrorCategory.InvalidData,
        [EnvironmentNameAmbiguous] = ErrorCategory.InvalidArgument,
        [EnvironmentNameTaken] = ErrorCategory.ResourceExists,
        [EnvironmentFileEmpty] = ErrorCategory.InvalidData,
        [PruneTooLarge] = ErrorCategory.LimitsExceeded,
        [ConfirmationRequired] = ErrorCategory.PermissionDenied,
        [InvalidEnvironmentName] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentDescription] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentImage] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentDefaultUrl] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentPort] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentUid] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentGid] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentWorkingDirectory] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentMountDirectory] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentCommand] = ErrorCategory.InvalidArgument,
        [InvalidEnvironmentArguments] = ErrorCategory.InvalidArgument,
        [EnvironmentFileSyntaxError] = ErrorCategory.ParserError,
        [EnvironmentFileShapeInvalid] = ErrorCategory.ParserError,
        [EnvironmentFileUnknownKey] = ErrorCategory.ParserError,
        [EnvironmentFileWrongType] = ErrorCategory.ParserError,
        [InvalidCompliancePolicy] = ErrorCategory.InvalidData,
        [DockerfileUnreadable] = ErrorCategory.ReadError,
        [DockerEngineUnavailable] = ErrorCategory.ConnectionError,
        [ImageUnreadable] = ErrorCategory.ObjectNotFound,
        [ArchiveUnreadable] = ErrorCategory.ReadError,
        [InvalidEnvironmentSettings] = ErrorCategory.InvalidArgument,
        [ComplianceFailed] = ErrorCategory.InvalidResult,
        [ReportPathInvalid] = ErrorCategory.WriteError,
        [ReportFileExists] = ErrorCategory.ResourceExists,
        [InvalidBuildInput] = ErrorCategory.InvalidArgument,
        [InvalidDockerignore] = ErrorCategory.InvalidData,
        [BuildContextUnreadable] = ErrorCategory.ReadError,
        [DockerBuildFailed] = ErrorCategory.InvalidResult,
        [DockerPushFailed] = ErrorCategory.InvalidOperation,
        [PushRequiresTag] = ErrorCategory.InvalidArgument,
        [GitRevisionUnavailable] = ErrorCategory.ObjectNotFound,
        [PackNotFound] = ErrorCategory.ObjectNotFound,
        [PackBuildFailed] = ErrorCategory.InvalidResult,
        [KubernetesNotConfigured] = ErrorCategory.ObjectNotFound,
        [KubernetesConfigurationInvalid] = ErrorCategory.InvalidArgument,
        [KubernetesUnreachable] = ErrorCategory.ConnectionError,
        [KubernetesUnauthorized] = ErrorCategory.AuthenticationError,
        [KubernetesForbidden] = ErrorCategory.PermissionDenied,
        [KubernetesNotFound] = ErrorCategory.ObjectNotFound,
        [KubernetesListExpired] = ErrorCategory.ResourceUnavailable,
        [KubernetesRequestFailed] = ErrorCategory.ResourceUnavailable,
        [AmaltheaNotInstalled] = ErrorCategory.NotInstalled,
        [UnsupportedSessionInput] = ErrorCategory.InvalidArgument,
        [SessionPortInUse] = ErrorCategory.ResourceBusy,
        [SessionListenerUnverified] = ErrorCategory.ResourceUnavailable,
        [SessionNetworkUnavailable] = ErrorCategory.ResourceUnavailable,
    };

    /// <summary>Every id and its category.</summary>
    internal static IReadOnlyDictionary<string, ErrorCategory> All => Categories;

    /// <summary>The one category of <paramref name="id"/>; an id not in the table is a bug of the module.</summary>
    internal static ErrorCategory CategoryOf(string id) =>
        Categories.TryGetValue(id, out ErrorCategory category) ? category : throw new ArgumentException($"'{id}' is not an error id of the module; add it to ErrorIds with its category.", nameof(id));
}
