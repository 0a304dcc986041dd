namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// Which sessions to return. Every filter that is set must match (AND); a null or empty filter
/// matches everything.
/// </summary>
public sealed class RenkuSessionQuery
{
    /// <summary>Accepted states (case-insensitive).</summary>
    public IReadOnlyCollection<string>? States { get; init; }

    /// <summary>Accepted launcher ids (annotation renku.io/launcher_id).</summary>
    public IReadOnlyCollection<string>? LauncherIds { get; init; }

    /// <summary>Accepted project ids (annotation renku.io/project_id).</summary>
    public IReadOnlyCollection<string>? ProjectIds { get; init; }

    /// <summary>A test of the session image (wildcards are the caller's business).</summary>
    public Func<string, bool>? ImageFilter { get; init; }

    /// <summary>
    /// Environments to select sessions by: a session belongs to one when its launcher (from
    /// <see cref="Launchers"/>) points at the environment, or when it runs the environment's image.
    /// </summary>
    public IReadOnlyCollection<SessionEnvironmentRef>? Environments { get; init; }

    /// <summary>
    /// Launchers. Without <see cref="Environments"/> they select their own sessions; with them they
    /// only tell which environment a session's launcher points at.
    /// </summary>
    public IReadOnlyCollection<SessionLauncherRef>? Launchers { get; init; }
}

/// <summary>The parts of a Renku environment that find its sessions.</summary>
public sealed record SessionEnvironmentRef(string? Id, string? Image);

/// <summary>The parts of a Renku session launcher that find its sessions.</summary>
public sealed record SessionLauncherRef(string Id, string? EnvironmentId, string? ProjectId);
