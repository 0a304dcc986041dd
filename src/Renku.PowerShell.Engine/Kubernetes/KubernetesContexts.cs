
namespace Renku.PowerShell.Kubernetes;

/// <summary>The context names of a kubeconfig, for argument completion.</summary>
public static class KubernetesContexts
{
    /// <summary>The contexts of <paramref name="kubeconfig"/> (or of the usual search); empty when none can be read.</summary>
    public static IReadOnlyList<string> List(string? kubeconfig) =>
        KubeconfigResolver.ForProcess().ContextNames(new KubernetesTarget { Kubeconfig = kubeconfig });
}
