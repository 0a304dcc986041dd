using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Compliance;

/// <summary>One image to check: where to read it, the settings it runs under, and what else to check.</summary>
public sealed class ComplianceJob
{
    /// <summary>The image as given: a reference (registry, Docker) or a path (archive); null with <see cref="ComplianceImageSource.None"/>.</summary>
    public string? Image { get; init; }

    public ComplianceImageSource Source { get; init; } = ComplianceImageSource.Registry;

    public SessionSettings Settings { get; init; } = SessionSettings.RenkuDefaults;

    public DockerfileDocument? Dockerfile { get; init; }

    public CompliancePolicy Policy { get; init; } = CompliancePolicy.Default;

    /// <summary>
    /// How Renku runs the image: null decides from <see cref="Launches"/> (a job when any launcher
    /// is non-interactive, else interactive). A job check runs the command to completion.
    /// </summary>
    public SessionKind? Kind { get; init; }

    /// <summary>The runtime to start the image in, or null for static checks only.</summary>
    public ISessionRuntime? Runtime { get; init; }

    /// <summary>The longest the session check waits for readiness (shorter scales Renku's probe timings); for a job, the longest its command may run.</summary>
    public TimeSpan ProbeTimeout { get; init; } = SessionCheckRequest.DefaultReadinessDeadline;

    /// <summary>Where the session check and the Docker reader record what they create until it is removed.</summary>
    public CleanupLedger Ledger { get; init; } = CleanupLedger.Untracked;

    /// <summary>The Docker engine for <see cref="ComplianceImageSource.Docker"/> (null: DOCKER_HOST or the default).</summary>
    public string? DockerHost { get; init; }

    /// <summary>
    /// A Renku connection to ask the platform's own pull check (<c>GET /sessions/images</c>) for a
    /// registry image, beside the module's credential-less request; null to skip it.
    /// </summary>
    public RenkuApi.RenkuApiClient? Platform { get; init; }

    /// <summary>True when the caller is connected but chose to check without Renku's pull check (said in the evidence).</summary>
    public bool PlatformCheckSkipped { get; init; }

    /// <summary>
    /// Where the environment's launchers run, read from Renku (launchers and resource pools), for
    /// the platform-fit rule; null when not known.
    /// </summary>
    public IReadOnlyList<LaunchPlatform>? Launches { get; init; }
}
