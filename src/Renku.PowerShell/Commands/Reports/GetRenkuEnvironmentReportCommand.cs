using System.Management.Automation;

using Renku.PowerShell.Commands.Compliance;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Reports;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Reports;

/// <summary>
/// <para type="synopsis">Reports the state of every global environment: compliance, upgrades, digest drift, launchers and sessions.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuEnvironmentReport")]
[OutputType(typeof(EnvironmentReport))]
public sealed class GetRenkuEnvironmentReportCommand : RenkuApiCmdlet
{
    private const int ProgressActivityId = 0x4552;

    private readonly RegistryAccessParameters registry = new();
    private readonly UpgradePolicyParameters upgrade = new();
    private readonly ClusterTargetParameters cluster = new();
    private readonly List<GlobalEnvironment> environments = new();
    private CompliancePolicy compliancePolicy = CompliancePolicy.Default;
    private UpgradePolicy upgradePolicy = new();
    private DigestRecord? digestRecord;
    private ImageInspector? inspector;

    /// <summary><para type="description">Environments from Get-RenkuGlobalEnvironment; without them, every global environment of the connection, archived ones too.</para></summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public GlobalEnvironment[]? InputObject { get; set; }

    /// <summary><para type="description">The compliance policy: a path to a .psd1, .json or .yml file, or a hashtable.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object? Policy { get; set; }

    /// <summary><para type="description">A JSON file of tag digests kept between runs, to catch tags pushed again.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }

    protected override IEnumerable<ParameterGroup> CreateParameterGroups()
    {
        yield return registry;
        yield return upgrade;
        yield return cluster;
    }

    protected override void Dispose(bool disposing) => inspector?.Dispose();

    protected override void Begin()
    {
        try
        {
            compliancePolicy = PolicyArgument.Resolve(this, Policy);
        }
        catch (CompliancePolicyException ex)
        {
            ThrowFailure(ex, Policy);
        }

        upgradePolicy = upgrade.CreatePolicy(this);
        if (RecordDigest is not null)
        {
            if (!ProviderPaths.TryOutput(this, RecordDigest, ProviderPaths.DigestRecord, noClobber: false, out string? path, out ErrorRecord? error))
            {
                Refuse(error);
            }

            try
            {
                digestRecord = DigestRecord.Open(path);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                Refuse(ErrorMap.Record(ex, ErrorIds.InvalidDigestRecord, RecordDigest));
            }
        }

        RequireConnection();
    }

    protected override void Process()
    {
        environments.AddRange(InputObject ?? Array.Empty<GlobalEnvironment>());
    }

    protected override void End()
    {
        IReadOnlyList<GlobalEnvironment> selected = environments.DistinctBy(e => e.Id, StringComparer.Ordinal).ToList();
        try
        {
            if (!Run((_, ct) => Client.GetUserAsync(ct)).IsAdmin)
            {
                WriteWarning($"{Client.Connection.UserName} is not a Renku admin (or the token expired): only launchers of projects this user can read are counted, so environments may look unused.");
            }

            if (!MyInvocation.ExpectingInput)
            {
                selected = Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct));
            }
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Client.Connection.ApiUri);
        }

        if (selected.Count == 0)
        {
            return;
        }

        inspector = registry.CreateInspector();
        var reporter = new EnvironmentReporter(inspector, Client, new EnvironmentReportOptions
        {
            CompliancePolicy = compliancePolicy,
            UpgradePolicy = upgradePolicy,
            ListingThrottle = upgrade.ThrottleLimit,
            DigestRecord = digestRecord,
            Cluster = cluster.AnyGiven ? cluster.ToTarget(this) : null,
        });

        IReadOnlyList<EnvironmentReport>? rows = null;
        try
        {
            rows = Run((writer, ct) => reporter.ReportAsync(
                selected,
                p => writer.WriteProgress(new ProgressRecord(ProgressActivityId, "Reporting on global environments", $"Listed {p.RepositoriesListed} of {p.Repositories} repositories, checked {p.EnvironmentsChecked} of {p.Environments} environments")
                {
                    PercentComplete = p.Percent,
                    CurrentOperation = p.Current,
                }),
                ct));
        }
        catch (KubernetesException ex)
        {
            Refuse(ErrorMap.Kubernetes(ex, cluster.ErrorTarget, ErrorIds.AmaltheaNotInstalled));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Client.Connection.ApiUri);
        }

        CompleteProgress();
        foreach (EnvironmentReport row in rows)
        {
            if (row.DigestChanged == true)
            {
                WriteWarning($"{row.Name}: {row.Upgrade?.Message}");
            }
        }

        if (digestRecord is not null)
        {
            try
            {
                digestRecord.Save();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteError(ErrorMap.Record(ex, ErrorIds.InvalidDigestRecord, RecordDigest));
            }
        }

        WriteObject(rows, enumerateCollection: true);
    }
}
