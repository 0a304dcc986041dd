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
}
