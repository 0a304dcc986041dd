namespace Renku.PowerShell;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";
    public const string InvalidBuildInput = "InvalidBuildInput";
    public const string DockerEngineUnavailable = "DockerEngineUnavailable";
    public const string DockerBuildFailed = "DockerBuildFailed";
    public const string DockerPushFailed = "DockerPushFailed";
    public const string PushRequiresTag = "PushRequiresTag";
    public const string GitRevisionUnavailable = "GitRevisionUnavailable";
    public const string PackNotFound = "PackNotFound";
    public const string PackBuildFailed = "PackBuildFailed";
}
