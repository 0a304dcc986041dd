namespace Renku.PowerShell;

/// <summary>
/// One Renku session as the cluster sees it: the AmaltheaSession resource joined with its pod
/// (<c>&lt;name&gt;-0</c>).
/// </summary>
public sealed class RenkuSession
{
    public required string Name { get; init; }

    public required string Namespace { get; init; }

    /// <summary>Running, Failed, Hibernated, NotReady, RunningDegraded or Succeeded (status.state).</summary>
    public string? State { get; init; }

    /// <summary>The session container's image (spec.session.image).</summary>
    public string? Image { get; init; }

    /// <summary>The launcher the session was started from (annotation renku.io/launcher_id).</summary>
    public string? LauncherId { get; init; }

    /// <summary>The project (annotation renku.io/project_id).</summary>
    public string? ProjectId { get; init; }

    /// <summary>The environment of the launcher, when the launcher was given to the query.</summary>
    public string? EnvironmentId { get; init; }

    /// <summary>The owner (label renku.io/safe-username).</summary>
    public string? User { get; init; }

    public string? Url { get; init; }

    /// <summary>Ready containers of the session, init containers aside (status.containerCounts.ready).</summary>
    public int? ReadyContainers { get; init; }

    /// <summary>All containers of the session, init containers aside (status.containerCounts.total).</summary>
    public int? TotalContainers { get; init; }

    /// <summary>Ready containers out of all, as kubectl shows them (<c>2/2</c>); null when the session reports no counts.</summary>
    public string? Ready => TotalContainers is null ? null : $"{ReadyContainers ?? 0}/{TotalContainers}";

    /// <summary>Restarts of the <c>amalthea-session</c> container of pod &lt;name&gt;-0; null when there is no pod.</summary>
    public int? RestartCount { get; init; }

    /// <summary>The pod's phase (Pending, Running, ...); null when there is no pod.</summary>
    public string? PodPhase { get; init; }

    /// <summary>Since when the session has been failing (status.failingSince).</summary>
    public DateTimeOffset? FailingSince { get; init; }

    /// <summary>What went wrong, when the state is Failed (status.error).</summary>
    public string? Error { get; init; }

    public DateTimeOffset? Created { get; init; }

    /// <summary>Time since creation, at the moment of the query.</summary>
    public TimeSpan? Age { get; init; }

    public bool Hibernated { get; init; }

    public DateTimeOffset? HibernatedSince { get; init; }

    public override string ToString() => Namespace + "/" + Name;
}
