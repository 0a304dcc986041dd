using Renku.PowerShell.Reports;

namespace Renku.PowerShell;

/// <summary>
/// One global environment in the fleet report: its compliance, its upgrade status, digest drift,
/// the launchers that use it and (with a cluster) its sessions, with a status per finding.
/// </summary>
public sealed class EnvironmentReport
{
    /// <summary>The environment as the data API describes it.</summary>
    public required GlobalEnvironment Environment { get; init; }

    public string Id => Environment.Id;

    public string Name => Environment.Name;

    public string Image => Environment.Image;

    public bool IsArchived => Environment.IsArchived;

    public ComplianceVerdict ComplianceVerdict { get; init; }

    /// <summary>The ids of the failed rules of severity Error or Warning, most severe first.</summary>
    public IReadOnlyList<string> FailingRules { get; init; } = Array.Empty<string>();

    /// <summary>The whole compliance report (every rule's result), or null when the image could not be checked.</summary>
    public ComplianceReport? Compliance { get; init; }

    /// <summary>
    /// How the environment was judged: <c>Job</c> when a non-interactive launcher uses it (its
    /// command runs to completion), else <c>Interactive</c>; null when the image could not be checked.
    /// </summary>
    public SessionKind? SessionKind => Compliance?.SessionKind;

    /// <summary>Why the image could not be checked, when it could not.</summary>
    public string? ComplianceError { get; init; }

    public UpgradeStatus UpgradeStatus { get; init; }

    public string? CurrentTag { get; init; }

    /// <summary>The release the upgrade policy chose, or null.</summary>
    public string? Candidate { get; init; }

    /// <summary>The whole upgrade audit row.</summary>
    public ImageUpgrade? Upgrade { get; init; }

    /// <summary>True when the tag was pushed again since it was recorded; null without a digest record.</summary>
    public bool? DigestChanged { get; init; }

    public string? RecordedDigest { get; init; }

    public string? CurrentDigest { get; init; }

    /// <summary>The session launchers that start this environment (every launcher type).</summary>
    public IReadOnlyList<SessionLauncher> Launchers { get; init; } = Array.Empty<SessionLauncher>();

    public int LauncherCount => Launchers.Count;

    /// <summary>Where each launcher runs (its class's pool and platform); null when the pools could not be read.</summary>
    public IReadOnlyList<LaunchPlatform>? Launches { get; init; }

    /// <summary>The platforms the image offers (registry index, else Renku's pull check); empty when unknown.</summary>
    public IReadOnlyList<string> ImagePlatforms { get; init; } = Array.Empty<string>();

    /// <summary>The launchers that run on a pool whose platform the image does not offer.</summary>
    public IReadOnlyList<LaunchPlatform> PlatformMismatches { get; init; } = Array.Empty<LaunchPlatform>();

    /// <summary>
    /// The platform fit in a word: <c>Fits</c>, <c>Mismatch</c> (a launcher runs where the image
    /// cannot), or <c>Unknown</c> (pools, launchers' classes or the image's platforms not known;
    /// also with no launcher).
    /// </summary>
    public string PlatformFit => PlatformMismatches.Count > 0 ? "Mismatch"
        : Launches is { Count: > 0 } launches && ImagePlatforms.Count > 0 && launches.Any(l => l.Platform is not null) ? "Fits"
        : "Unknown";

    /// <summary>The environment's sessions in the cluster; null when no cluster was given.</summary>
    public IReadOnlyList<RenkuSession>? Sessions { get; init; }

    /// <summary>Sessions in state Running or RunningDegraded; null without a cluster.</summary>
    public int? RunningSessions => Sessions?.Count(s => s.State is "Running" or "RunningDegraded");

    /// <summary>Restarts of the session containers, added up; null without a cluster.</summary>
    public int? Restarts => Sessions?.Sum(s => s.RestartCount ?? 0);

    /// <summary>Archived, yet launchers still point at it or sessions still run it.</summary>
    public bool ArchivedButUsed => IsArchived && (LauncherCount > 0 || Sessions is { Count: > 0 });

    /// <summary>No launcher uses it and (with a cluster) no session runs it.</summary>
    public bool Unused => LauncherCount == 0 && Sessions is not { Count: > 0 };

    /// <summary>The worst status among the findings.</summary>
    public ReportStatus Status => FleetStatus.Of(this);

    /// <summary>The findings in words, worst first (empty when all is well).</summary>
    public IReadOnlyList<string> Findings => FleetStatus.Findings(this);

    public override string ToString() => $"{Name}: {Status}";
}
