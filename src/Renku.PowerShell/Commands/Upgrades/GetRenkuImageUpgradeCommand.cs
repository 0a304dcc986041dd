using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Upgrades;

/// <summary>
/// <para type="synopsis">Finds images that lag the newest compatible release of their repository.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImageUpgrade", DefaultParameterSetName = InputSet)]
[OutputType(typeof(ImageUpgrade))]
public sealed class GetRenkuImageUpgradeCommand : RenkuCmdlet
{
    private const string InputSet = "Input";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressActivityId = 0x5e60;

    private readonly List<UpgradeInput> inputs = new();
    private readonly RegistryAccessParameters registry = new();
    private readonly UpgradePolicyParameters upgrade = new();
    private UpgradePolicy policy = new();
    private DigestRecord? digestRecord;

    [Parameter(ParameterSetName = InputSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Image", "Environment")]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    [Parameter(ParameterSetName = PathSet, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = LiteralPathSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }

    /// <summary>Checks each candidate image (not the current one) against Renku's rules under its environment's settings.</summary>
    [Parameter]
    public SwitchParameter CheckCandidate { get; set; }

    protected override IEnumerable<ParameterGroup> CreateParameterGroups()
    {
        yield return upgrade;
        yield return registry;
    }

    protected override void Begin()
    {
        policy = upgrade.CreatePolicy(this);

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
    }

    protected override void Process()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                UpgradeCommandSupport.AddFiles(this, Path, literal: false, inputs);
                break;
            case LiteralPathSet:
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

        using var catalog = new InspectorTagCatalog(registry.CreateInspector(), ownsInspector: true);
        var auditor = new UpgradeAuditor(catalog, policy, upgrade.ThrottleLimit);
        IReadOnlyList<ImageUpgrade> rows = Run((writer, ct) => auditor.AuditAsync(inputs, digestRecord, p => writer.WriteProgress(UpgradeCommandSupport.Progress(ProgressActivityId, p)), ct));
        if (CheckCandidate.IsPresent)
        {
            UpgradeCommandSupport.CheckCandidates(rows, registry, upgrade.ThrottleLimit, work => Run((_, ct) => work(ct)));
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
    }
}
