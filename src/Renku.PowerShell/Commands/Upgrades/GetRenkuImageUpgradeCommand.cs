using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Http;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Upgrades;

/// <summary>
/// Finds images that lag the newest compatible release of their repository.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImageUpgrade", DefaultParameterSetName = ParameterSets.Input)]
[OutputType(typeof(ImageUpgrade))]
public sealed class GetRenkuImageUpgradeCommand : RenkuCmdlet, IUpgradePolicyParameters, IRegistryAccessParameters, IRecordDigestParameters
{
    private const int ProgressActivityId = 0x5e60;

    private readonly List<UpgradeInput> inputs = new();
    private UpgradePolicy policy = new();
    private DigestRecord? digestRecord;

    [Parameter(ParameterSetName = ParameterSets.Input, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Image", "Environment")]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    [Parameter(ParameterSetName = ParameterSets.Path, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ParameterSets.LiteralPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <inheritdoc cref="RecordDigestParameters.RecordDigest"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }

    /// <summary>Checks each candidate image (not the current one) against Renku's rules under its environment's settings.</summary>
    [Parameter]
    public SwitchParameter CheckCandidate { get; set; }

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

    protected override void Begin()
    {
        policy = this.CreateUpgradePolicy();
        digestRecord = this.OpenDigestRecord();
    }

    protected override void Process()
    {
        switch (ParameterSetName)
        {
            case ParameterSets.Path:
                UpgradeCommandSupport.AddFiles(this, Path, literal: false, inputs);
                break;
            case ParameterSets.LiteralPath:
                UpgradeCommandSupport.AddFiles(this, LiteralPath, literal: true, inputs);
                break;
            default:
                foreach (object item in InputObject)
                {
                    UpgradeCommandSupport.AddInput(this, item, inputs);
                }

                break;
        }
    }

    protected override void End()
    {
        if (inputs.Count == 0)
        {
            return;
        }

        using var catalog = new InspectorTagCatalog(this.CreateInspector(), ownsInspector: true);
        var auditor = new UpgradeAuditor(catalog, policy, ThrottleLimit);
        IReadOnlyList<ImageUpgrade> rows = Run((writer, ct) => auditor.AuditAsync(inputs, digestRecord, p => writer.WriteProgress(UpgradeCommandSupport.Progress(ProgressActivityId, p)), ct));
        if (CheckCandidate.IsPresent)
        {
            UpgradeCommandSupport.CheckCandidates(rows, this, ThrottleLimit, work => Run((_, ct) => work(ct)));
        }

        foreach (ImageUpgrade row in rows)
        {
            if (row.DigestChanged)
            {
                WriteWarning($"{row.Source}: {row.Message}");
            }

            if (row.CandidatePassed == false)
            {
                WriteWarning(UpgradeCommandSupport.FailedCandidate(row));
            }

            WriteObject(row);
        }

        if (this.SaveDigestRecord(digestRecord) is { } notSaved)
        {
            WriteError(notSaved);
        }
    }
}
