namespace Renku.PowerShell;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";
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
}
