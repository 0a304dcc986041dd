namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// Which cluster, context and namespace to talk to. Every value may be left out: the kubeconfig
/// is then found the usual way (the KUBECONFIG variable, ~/.kube/config, the in-cluster service
/// account) and the namespace comes from the context, else <c>default</c>.
/// </summary>
public sealed class KubernetesTarget
{
    /// <summary>A kubeconfig file to use instead of the usual search.</summary>
    public string? Kubeconfig { get; init; }

    /// <summary>The kubeconfig context to use instead of the file's current context.</summary>
    public string? Context { get; init; }

    /// <summary>The namespace to use instead of the context's namespace.</summary>
    public string? Namespace { get; init; }
}
