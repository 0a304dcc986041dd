namespace Renku.PowerShell;

/// <summary>How a session check ended, whatever the runtime.</summary>
public enum SessionOutcome
{
    /// <summary>The session container passed Renku's readiness probe.</summary>
    Ready,

    /// <summary>The image could not be pulled (ImagePullBackOff, InvalidImageName, not in the engine, ...).</summary>
    ImagePullFailed,

    /// <summary>The session process exits (CrashLoopBackOff, or the container or pod ended).</summary>
    Crashed,

    /// <summary>The container could not be created or started (CreateContainerConfigError, RunContainerError, a refused create, ...).</summary>
    ContainerError,

    /// <summary>The process runs but never answered the TCP readiness probe on the port.</summary>
    ProbeFailed,

    /// <summary>The pod could not be scheduled before the time ran out.</summary>
    Unschedulable,

    /// <summary>The time ran out without a verdict (still pulling, starting or probing; a job still running).</summary>
    TimedOut,

    /// <summary>A job's command ran to completion and exited 0.</summary>
    Succeeded,

    /// <summary>A job's command exited with another code or was killed (out of memory, signal).</summary>
    Failed,
}
