using Renku.PowerShell.Compliance;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Reports;

/// <summary>What the environment report checks each environment against, and where it looks.</summary>
public sealed class EnvironmentReportOptions
{
    public CompliancePolicy CompliancePolicy { get; init; } = CompliancePolicy.Default;

    public UpgradePolicy UpgradePolicy { get; init; } = new();

    /// <summary>How many repositories are listed at once.</summary>
    public int ListingThrottle { get; init; } = 8;

    /// <summary>How many images are checked at once (one shared inspector; mostly waiting on the network).</summary>
    public int CheckThrottle { get; init; } = ComplianceThrottle.Static;

    /// <summary>Tag digests kept between runs, to catch tags pushed again; null to skip.</summary>
    public DigestRecord? DigestRecord { get; init; }

    /// <summary>The cluster whose sessions are counted; null to skip sessions.</summary>
    public KubernetesTarget? Cluster { get; init; }
}
