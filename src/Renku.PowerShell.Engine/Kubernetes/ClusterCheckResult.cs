namespace Renku.PowerShell.Kubernetes;

/// <summary>What a cluster session check saw, from creating the pod to deleting it.</summary>
public sealed class ClusterCheckResult
{
    public required ClusterCheckOutcome Outcome { get; init; }

    /// <summary>True when the outcome is <see cref="ClusterCheckOutcome.Ready"/>.</summary>
    public bool Passed => Outcome == ClusterCheckOutcome.Ready;

    /// <summary>The Kubernetes reason behind the outcome (ImagePullBackOff, CrashLoopBackOff, Unhealthy, ...).</summary>
    public string? Reason { get; init; }

    /// <summary>A sentence on what happened and what to change.</summary>
    public required string Message { get; init; }

    public required ClusterCheckPlan Plan { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    /// <summary>From creating the pod to the verdict.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>From creating the pod to it being scheduled on a node.</summary>
    public TimeSpan? ScheduledAfter { get; init; }

    /// <summary>From creating the pod to the session container starting.</summary>
    public TimeSpan? StartedAfter { get; init; }

    /// <summary>From creating the pod to Ready.</summary>
    public TimeSpan? ReadyAfter { get; init; }

    /// <summary>The path requested through the API server's pod proxy once Ready (base path + default URL).</summary>
    public string? Url { get; init; }

    /// <summary>The status the session answered at <see cref="Url"/>; Renku needs 200 to 399.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>Why the default URL could not be fetched, when it could not.</summary>
    public string? HttpError { get; init; }

    public int RestartCount { get; init; }

    /// <summary>The exit code of the last terminated run of the session container.</summary>
    public int? ExitCode { get; init; }

    public IReadOnlyList<ClusterEvent> Events { get; init; } = Array.Empty<ClusterEvent>();

    /// <summary>The last lines the session container wrote (of the previous run after a crash).</summary>
    public IReadOnlyList<string> LogLines { get; init; } = Array.Empty<string>();

    /// <summary>Whether the pod was deleted afterwards (false only when the delete call failed).</summary>
    public bool PodDeleted { get; init; }

    /// <summary>Why the delete failed, when it did.</summary>
    public string? CleanupError { get; init; }
}
