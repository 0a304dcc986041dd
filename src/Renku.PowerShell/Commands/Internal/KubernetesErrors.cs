using System.Management.Automation;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>Turns a classified Kubernetes failure into an error record with a stable id.</summary>
internal static class KubernetesErrors
{
    internal static ErrorRecord ToErrorRecord(KubernetesException ex, object? target, string? notFoundId = null)
    {
        (string id, ErrorCategory category, string action) = ex.Kind switch
        {
            KubernetesErrorKind.NotConfigured => (ErrorIds.KubernetesNotConfigured, ErrorCategory.ObjectNotFound, "Pass -Kubeconfig <file>, set KUBECONFIG, or create ~/.kube/config (kubectl config view shows what kubectl uses)."),
            KubernetesErrorKind.ConfigurationInvalid => (ErrorIds.KubernetesConfigurationInvalid, ErrorCategory.InvalidArgument, "Check the kubeconfig file and the -Context name (kubectl config get-contexts)."),
            KubernetesErrorKind.Unreachable => (ErrorIds.KubernetesUnreachable, ErrorCategory.ConnectionError, "Check that the cluster is up and reachable from here, and the server address in the kubeconfig."),
            KubernetesErrorKind.Unauthorized => (ErrorIds.KubernetesUnauthorized, ErrorCategory.AuthenticationError, "Log in to the cluster again or renew the kubeconfig user's token."),
            KubernetesErrorKind.Forbidden => (ErrorIds.KubernetesForbidden, ErrorCategory.PermissionDenied, "Use a context whose user has the RBAC permission named in the message, or ask a cluster administrator for it."),
            KubernetesErrorKind.NotFound => (notFoundId ?? ErrorIds.KubernetesNotFound, notFoundId is null ? ErrorCategory.ObjectNotFound : ErrorCategory.NotInstalled, "Check the -Namespace and -Context: they must be those of the Renku deployment."),
            KubernetesErrorKind.Expired => (ErrorIds.KubernetesListExpired, ErrorCategory.ResourceUnavailable, "Run the command again."),
            KubernetesErrorKind.Invalid => (ErrorIds.KubernetesRequestFailed, ErrorCategory.InvalidData, "See the message for the refused field."),
            KubernetesErrorKind.Conflict => (ErrorIds.KubernetesRequestFailed, ErrorCategory.ResourceExists, "Run the command again."),
            _ => (ErrorIds.KubernetesRequestFailed, ErrorCategory.ResourceUnavailable, "Try again later, or check the API server's health."),
        };
        return new ErrorRecord(ex, id, category, target)
        {
            ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = action },
        };
    }
}
