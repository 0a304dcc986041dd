using Renku.PowerShell.Compliance;
namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// The session check in a Kubernetes cluster, for the compliance rules: runs
/// <see cref="ClusterSessionCheck"/> and reports it as a <see cref="SessionCheck"/>. The pod
/// always carries Renku's own probe timings (a cluster cannot scale them); the write checks
/// need an exec into the pod and are left to the Docker runtime.
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
    /// <exception cref="ArgumentException">The settings are not something Renku would run.</exception>
    /// <exception cref="KubernetesException">The kubeconfig is missing or unusable.</exception>
    public ClusterCheckPlan Plan(SessionCheckRequest request) =>
        ClusterSessionCheck.Plan(ToSpec(request), ClusterSessionCheck.ResolveNamespace(target));

    /// <exception cref="KubernetesException">The cluster could not be used (a created pod is deleted first).</exception>
    public async Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        SessionContainerSpec spec = ToSpec(request);
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(
            spec,
            new ClusterCheckOptions
            {
                Target = target,
                ProbeTimeout = request.ReadinessDeadline,
                Progress = progress is null ? null : progress.Report,
            },
            cancellationToken).ConfigureAwait(false);
        return ToSessionCheck(request, spec, result);
    }

    internal static SessionContainerSpec ToSpec(SessionCheckRequest request)
    {
        SessionSettings settings = request.Settings;
        return new SessionContainerSpec
        {
            Image = request.Image,
            Port = settings.Port,
            Uid = settings.Uid,
            Gid = settings.Gid,
            WorkingDirectory = request.Layout?.WorkingDirectory ?? settings.WorkingDirectory,
            MountDirectory = request.Layout?.MountDirectory ?? settings.MountDirectory,
            DefaultUrl = settings.DefaultUrl,
            Command = settings.Command,
            Args = settings.Args,
        };
    }

    internal static SessionCheck ToSessionCheck(SessionCheckRequest request, SessionContainerSpec spec, ClusterCheckResult result)
    {
        bool neverStarted = result.Outcome is ClusterCheckOutcome.ImagePullFailed or ClusterCheckOutcome.ContainerError or ClusterCheckOutcome.Unschedulable
            || (result.Outcome == ClusterCheckOutcome.TimedOut && result.StartedAfter is null);
        bool crashed = result.Outcome == ClusterCheckOutcome.Crashed;
        int probeFailures = result.Events.Where(e => e.Reason == "Unhealthy").Sum(e => e.Count);
        bool ready = result.Outcome == ClusterCheckOutcome.Ready;
        return new SessionCheck
        {
            Runtime = "Kubernetes",
            Image = request.Image,
            ContainerName = $"{result.Plan.Namespace}/{result.Plan.PodName}",
            Network = "pod",
            User = $"{spec.Uid}:{spec.Gid}",
            WorkingDirectory = result.Plan.WorkingDirectory,
            MountDirectory = result.Plan.MountDirectory,
            Entrypoint = spec.Command ?? Array.Empty<string>(),
            Arguments = spec.Args ?? Array.Empty<string>(),
            Environment = result.Plan.Environment,
            Port = spec.Port,
            ProbeAddress = $"{result.Plan.PodName}:{spec.Port} (kubelet TCP probe)",
            Probe = ReadinessProbeSettings.Renku,
            ReadinessDeadline = request.ReadinessDeadline,
            Started = !neverStarted,
            StartError = neverStarted ? $"{result.Reason}: {result.Message}" : null,
            FirstConnect = ready ? result.ReadyAfter : null,
            Ready = ready,
            TimeToReady = result.ReadyAfter,
            ProbeAttempts = probeFailures + (ready ? ReadinessProbeSettings.Renku.SuccessThreshold : 0),
            ProbeFailures = probeFailures,
            Exited = crashed,
            ExitCode = result.ExitCode,
            StayedUp = !neverStarted && !crashed,
            Url = result.Url,
            HttpStatus = result.HttpStatus,
            HttpError = result.HttpError,
            MountWritable = null,
            HomeWritable = null,
            WriteCheckError = "the cluster check does not exec into the pod; use -Runtime Docker for the write checks",
            LogTail = result.LogLines,
            Duration = result.Duration,
            CleanedUp = result.PodDeleted,
        };
    }
}
