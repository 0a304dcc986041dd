using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// The session runtime of a Kubernetes cluster: runs <see cref="ClusterSessionCheck"/>. The pod
/// always carries Renku's own probe timings (a cluster cannot scale them); the write checks need
/// an exec into the pod and are left to the Docker runtime.
/// </summary>
public sealed class KubernetesSessionRuntime : ISessionRuntime
{
    private readonly KubernetesTarget target;

    public KubernetesSessionRuntime(KubernetesTarget target)
    {
        this.target = target;
    }

    public string Name => "Kubernetes";

    /// <summary>The namespace check pods go to; reads the kubeconfig, contacts nobody.</summary>
    /// <exception cref="KubernetesException">The kubeconfig is missing or unusable.</exception>
    public string ResolveNamespace() => ClusterSessionCheck.ResolveNamespace(target);

    /// <summary>The pod a request would create, for -WhatIf; reads the kubeconfig for the namespace, contacts nobody.</summary>
    /// <exception cref="SessionSettingsException">The settings are not something Renku would run.</exception>
    /// <exception cref="KubernetesException">The kubeconfig is missing or unusable.</exception>
    public ClusterCheckPlan Plan(SessionCheckRequest request) => ClusterSessionCheck.Plan(request, ClusterSessionCheck.ResolveNamespace(target));

    /// <exception cref="KubernetesException">The cluster could not be used (a created pod is deleted first).</exception>
    public Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken) =>
        ClusterSessionCheck.RunAsync(request, new ClusterCheckOptions { Target = target, Progress = progress is null ? null : progress.Report }, cancellationToken);
}
