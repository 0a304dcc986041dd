namespace Renku.PowerShell;

/// <summary>
/// Stable error ids. Scripts and tests match on these (they are the first part of
/// FullyQualifiedErrorId), so an id never changes once shipped.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidImageReference = "InvalidImageReference";

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
