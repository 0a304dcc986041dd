namespace Renku.PowerShell.Kubernetes;

/// <summary>How a cluster session check ended.</summary>
public enum ClusterCheckOutcome
{
    /// <summary>The session container passed Renku's readiness probe.</summary>
    Ready,

    /// <summary>The image could not be pulled (ImagePullBackOff, InvalidImageName, ...).</summary>
    ImagePullFailed,

    /// <summary>The session process exits (CrashLoopBackOff, or the pod failed).</summary>
    Crashed,

    /// <summary>The container could not be created or started (CreateContainerConfigError, RunContainerError, ...).</summary>
    ContainerError,

    /// <summary>The process runs but never answered the TCP readiness probe on the port.</summary>
    ProbeFailed,

    /// <summary>The pod could not be scheduled before the time ran out.</summary>
    Unschedulable,

    /// <summary>The time ran out without a verdict (still pulling, starting or probing).</summary>
    TimedOut,
}
