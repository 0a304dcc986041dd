namespace Renku.PowerShell.Kubernetes;

/// <summary>How to run a cluster session check.</summary>
public sealed class ClusterCheckOptions
{
    public KubernetesTarget Target { get; init; } = new();

    /// <summary>How many of the container's last log lines to keep.</summary>
    public int LogLines { get; init; } = 50;

    /// <summary>
    /// Called with a short description of each stage the pod reaches. It is called on a worker
    /// thread: queue the text and write it from the caller's own thread.
    /// </summary>
    public Action<string>? Progress { get; init; }
}
