using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Reports;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Reports;

/// <summary>
/// Reports the state of every global environment: compliance, upgrades, digest drift, launchers and sessions.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuEnvironmentReport")]
[OutputType(typeof(EnvironmentReport))]
public sealed class GetRenkuEnvironmentReportCommand : RenkuApiCmdlet, IRegistryAccessParameters, IUpgradePolicyParameters, IClusterTargetParameters, ICompliancePolicyParameters, IRecordDigestParameters
{
    private const int ProgressActivityId = 0x4552;

    private readonly List<GlobalEnvironment> environments = new();
    private CompliancePolicy compliancePolicy = CompliancePolicy.Default;
    private UpgradePolicy upgradePolicy = new();
    private DigestRecord? digestRecord;
    private ImageInspector? inspector;

    /// <summary>Environments from Get-RenkuGlobalEnvironment; without them, every global environment of the connection, archived ones too.</summary>
    [Parameter(ValueFromPipeline = true)]
    [ValidateNotNull]
    public GlobalEnvironment[]? InputObject { get; set; }

    /// <inheritdoc cref="CompliancePolicyParameters.Policy"/>
    [Parameter]
    [ValidateNotNull]
    public object? Policy { get; set; }

    /// <inheritdoc cref="RecordDigestParameters.RecordDigest"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.Credential"/>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.SkipCertificateCheck"/>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.InsecureRegistry"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <inheritdoc cref="RegistryAccessParameters.RegistryTimeout"/>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    /// <inheritdoc cref="UpgradePolicyParameters.Level"/>
    [Parameter]
    public UpgradeLevel Level { get; set; } = UpgradeLevel.Minor;

    /// <inheritdoc cref="UpgradePolicyParameters.AllowPrerelease"/>
    [Parameter]
    public SwitchParameter AllowPrerelease { get; set; }

    /// <inheritdoc cref="UpgradePolicyParameters.VersionRange"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VersionRange { get; set; }

    /// <inheritdoc cref="UpgradePolicyParameters.AnyPrecision"/>
    [Parameter]
    public SwitchParameter AnyPrecision { get; set; }

    /// <inheritdoc cref="UpgradePolicyParameters.ThrottleLimit"/>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <inheritdoc cref="ClusterTargetParameters.Namespace"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <inheritdoc cref="ClusterTargetParameters.Kubeconfig"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <inheritdoc cref="ClusterTargetParameters.Context"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KubernetesContextCompleter))]
    public string? Context { get; set; }

    protected override void Dispose(bool disposing) => inspector?.Dispose();

    protected override void Begin()
    {
        try
        {
            compliancePolicy = this.ResolveCompliancePolicy();
        }
        catch (CompliancePolicyException ex)
        {
            ThrowFailure(ex, Policy);
        }

        upgradePolicy = this.CreateUpgradePolicy();
        digestRecord = this.OpenDigestRecord();

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

        inspector = this.CreateInspector();
        var reporter = new EnvironmentReporter(inspector, Client, new EnvironmentReportOptions
        {
            CompliancePolicy = compliancePolicy,
            UpgradePolicy = upgradePolicy,
            ListingThrottle = ThrottleLimit,
            DigestRecord = digestRecord,
            Cluster = this.ClusterTargetGiven() ? this.ToKubernetesTarget() : null,
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
            Refuse(ErrorMap.Kubernetes(ex, this.ClusterErrorTarget(), ErrorIds.AmaltheaNotInstalled));
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

        if (this.SaveDigestRecord(digestRecord) is { } notSaved)
        {
            WriteError(notSaved);
        }

        WriteObject(rows, enumerateCollection: true);
    }
}
