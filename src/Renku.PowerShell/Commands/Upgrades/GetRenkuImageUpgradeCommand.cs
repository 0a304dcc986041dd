using System.Collections.Concurrent;
using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Upgrades;
using Renku.PowerShell.Commands.Internal;

namespace Renku.PowerShell.Commands.Upgrades;

/// <summary>
/// <para type="synopsis">Finds images that lag the newest compatible release of their repository.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImageUpgrade", DefaultParameterSetName = InputSet)]
[OutputType(typeof(ImageUpgrade))]
public sealed class GetRenkuImageUpgradeCommand : PSCmdlet, IDisposable
{
    private const string InputSet = "Input";
    private const string PathSet = "Path";
    private const string LiteralPathSet = "LiteralPath";
    private const int ProgressActivityId = 0x5e60;

    private readonly List<UpgradeInput> inputs = new();
    private readonly CancellationTokenSource cancellation = new();
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
    public UpgradeLevel Level { get; set; } = UpgradeLevel.Minor;

    [Parameter]
    public SwitchParameter AllowPrerelease { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VersionRange { get; set; }

    [Parameter]
    public SwitchParameter AnyPrecision { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? RecordDigest { get; set; }

    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <summary>The most one registry operation may take (one image read, one repository's tags), retries included.</summary>
    [Parameter]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    public void Dispose() => cancellation.Dispose();

    protected override void BeginProcessing()
    {
        policy = UpgradeCommandSupport.CreatePolicy(this, Level, AllowPrerelease.IsPresent, AnyPrecision.IsPresent, VersionRange);

        if (RecordDigest is not null)
        {
            string path = GetUnresolvedProviderPathFromPSPath(RecordDigest);
            try
            {
                digestRecord = DigestRecord.Open(path);
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidDigestRecord, ErrorCategory.InvalidData, RecordDigest));
            }
        }
    }

    protected override void ProcessRecord()
    {
        switch (ParameterSetName)
        {
            case PathSet:
                UpgradeCommandSupport.AddDockerfiles(this, Path, literal: false, inputs);
                break;
            case LiteralPathSet:
                UpgradeCommandSupport.AddDockerfiles(this, LiteralPath, literal: true, inputs);
                break;
            default:
                foreach (object item in InputObject)
                {
                    UpgradeCommandSupport.AddInput(this, item, inputs);
                }

                break;
        }
    }

    protected override void EndProcessing()
    {
        if (inputs.Count == 0)
        {
            return;
        }

        using InspectorTagCatalog catalog = UpgradeCommandSupport.CreateCatalog(Credential, SkipCertificateCheck.IsPresent, InsecureRegistry, RegistryTimeout);
        foreach (ImageUpgrade row in UpgradeCommandSupport.Audit(this, inputs, policy, digestRecord, catalog, ThrottleLimit, cancellation.Token, ProgressActivityId))
        {
            if (row.DigestChanged)
            {
                WriteWarning($"{row.Source}: {row.Message}");
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
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidDigestRecord, ErrorCategory.WriteError, RecordDigest));
            }
        }
    }

    protected override void StopProcessing() => cancellation.Cancel();
}
