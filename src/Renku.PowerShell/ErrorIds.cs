namespace Renku.PowerShell;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";

    public const string InvalidVersionRange = "InvalidVersionRange";
    public const string InvalidDigestRecord = "InvalidDigestRecord";
    public const string DockerfileNotFound = "DockerfileNotFound";
    public const string InvalidDockerfile = "InvalidDockerfile";
    public const string InvalidUpgradeInput = "InvalidUpgradeInput";
    public const string ImageTagUpdateFailed = "ImageTagUpdateFailed";
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
}
