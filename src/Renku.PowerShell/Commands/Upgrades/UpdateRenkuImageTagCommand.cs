using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Upgrades;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Upgrades;

/// <summary>
/// Moves image tags to the candidate an upgrade audit chose, in Dockerfiles and Renku environments.
/// </summary>
[Cmdlet(VerbsData.Update, "RenkuImageTag", DefaultParameterSetName = ParameterSets.Input, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(ImageTagUpdate))]
public sealed class UpdateRenkuImageTagCommand : RenkuApiCmdlet, IUpgradePolicyParameters, IRegistryAccessParameters
{
    private const int ProgressActivityId = 0x5e61;

    private readonly List<ImageUpgrade> rows = new();
    private readonly List<UpgradeInput> inputs = new();
    private UpgradePolicy policy = new();

    [Parameter(ParameterSetName = ParameterSets.Input, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [Alias("Upgrade", "Image", "Environment")]
    public object[] InputObject { get; set; } = Array.Empty<object>();

    [Parameter(ParameterSetName = ParameterSets.Path, Mandatory = true, Position = 0)]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ParameterSets.LiteralPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LP")]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    [Parameter]
    public SwitchParameter PinDigest { get; set; }

    /// <summary>The environments file that manages the live environments (Sync-RenkuGlobalEnvironment's -Path): an API update of one it lists is warned about, since the next sync reverts it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? EnvironmentFile { get; set; }

    /// <summary>Applies only candidates that pass Renku's rules under their environment's settings; the others are reported and left out.</summary>
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

    private static readonly PathRole ManagingFilePath = new(PathKind.File, "environments file", ErrorIds.EnvironmentFileNotFound, Advice: "Give -EnvironmentFile the file Sync-RenkuGlobalEnvironment applies (relative to the current location).");

    private string? managingFile;
    private IReadOnlyList<EnvironmentFileItem>? managed;

    protected override void Begin()
    {
        policy = this.CreateUpgradePolicy();
        if (EnvironmentFile is not null)
        {
            if (!ProviderPaths.TryOne(this, EnvironmentFile, literal: true, ManagingFilePath, out managingFile, out ErrorRecord? error))
            {
                Refuse(error);
            }

            try
            {
                managed = Renku.PowerShell.Environments.EnvironmentFile.ReadItems(managingFile);
            }
            catch (FileNotFoundException ex)
            {
                Refuse(ErrorMap.Record(ex, ErrorIds.EnvironmentFileNotFound, EnvironmentFile));
            }
            catch (EnvironmentFileException ex)
            {
                Refuse(ErrorMap.Record(ex, ErrorIds.EnvironmentFileInvalid, EnvironmentFile, ex.Message, null));
            }
        }
    }

    /// <summary>
    /// Warns when a live environment changed through the API is managed by the environments file
    /// given: the next sync of the file puts the file's image back (or archives an environment the
    /// file does not list, with -Prune).
    /// </summary>
    private void WarnIfManaged(ImageUpgrade row, string newImage)
    {
        if (managed is null || row.EnvironmentName is null)
        {
            return;
        }

        EnvironmentFileItem? entry = managed.FirstOrDefault(i => string.Equals(i.Name, row.EnvironmentName, StringComparison.Ordinal));
        if (entry is null)
        {
            WriteWarning($"{row.Source} is not in {managingFile}: a Sync-RenkuGlobalEnvironment -Prune of that file archives it. Add it to the file if the file manages it.");
        }
        else if (!string.Equals(entry.Spec.Image, newImage, StringComparison.Ordinal))
        {
            WriteWarning($"{row.Source} is managed by {managingFile} (line {entry.LineOf(EnvironmentFields.ContainerImage)}): the next Sync-RenkuGlobalEnvironment of that file sets its image back to {entry.Spec.Image}. Update the file instead (Update-RenkuImageTag -Path {managingFile}), or change the file too.");
        }
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
                    if ((item is PSObject wrapped ? wrapped.BaseObject : item) is ImageUpgrade row)
                    {
                        rows.Add(row);
                    }
                    else
                    {
                        UpgradeCommandSupport.AddInput(this, item, inputs);
                    }
                }

                break;
        }
    }

    protected override void End()
    {
        if (inputs.Count > 0)
        {
            using var catalog = new InspectorTagCatalog(this.CreateInspector(), ownsInspector: true);
            var auditor = new UpgradeAuditor(catalog, policy, ThrottleLimit);
            rows.AddRange(Run((writer, ct) => auditor.AuditAsync(inputs, null, p => writer.WriteProgress(UpgradeCommandSupport.Progress(ProgressActivityId, p)), ct)));
        }

        if (CheckCandidate.IsPresent)
        {
            UpgradeCommandSupport.CheckCandidates(rows, this, ThrottleLimit, work => Run((_, ct) => work(ct)));
        }

        var fileChanges = new Dictionary<string, List<(ImageUpgrade Row, DockerfileImageSite Site, string Replacement, string NewImage, string? ContentDigest)>>(StringComparer.Ordinal);
        foreach (ImageUpgrade row in rows)
        {
            if (row.Candidate is null)
            {
                WriteVerbose($"{row.Source}: {row.Image} stays ({row.Status}{(row.Message is null ? string.Empty : ": " + row.Message)}).");
                continue;
            }

            if (row.CandidatePassed == false)
            {
                // A candidate that failed the gate (here or in the audit that made the row) is never applied.
                WriteWarning(UpgradeCommandSupport.FailedCandidate(row));
                WriteObject(new ImageTagUpdate
                {
                    Target = row.Source, TargetKind = row.SourceKind, OldImage = row.Image, NewImage = row.CandidateImage ?? row.Image, Applied = false,
                    Reason = row.CandidateFailedRules.Count > 0 ? $"The candidate fails Renku's rules: {row.CandidateCheckMessage}" : row.CandidateCheckMessage,
                    FailedRules = row.CandidateFailedRules, Path = row.Path, Line = row.Line, EnvironmentId = row.EnvironmentId, EnvironmentName = row.EnvironmentName,
                });
                continue;
            }

            if (PinDigest.IsPresent && row.CandidateDigest is null)
            {
                WriteError(ErrorMap.Record(new InvalidOperationException($"The digest of {row.CandidateImage} is unknown, so it cannot be pinned."), ErrorIds.ImageTagUpdateFailed, row));
                continue;
            }

            string? digest = PinDigest.IsPresent ? row.CandidateDigest : null;
            string newImage = ImageText.WithTag(row.Image, row.Candidate, digest);
            UpgradeInput input = row.GetInput();
            switch (row.SourceKind)
            {
                case UpgradeSourceKind.Dockerfile:
                case UpgradeSourceKind.EnvironmentFile:
                    DockerfileImageSite? site = input.Site;
                    if (site is null || input.Path is null)
                    {
                        string how = row.SourceKind == UpgradeSourceKind.Dockerfile
                            ? "the FROM line's image is built from build arguments in a way that cannot be rewritten safely"
                            : "the container_image is written with escapes or over several lines, so it cannot be rewritten in place";
                        WriteError(ErrorMap.Record(new InvalidOperationException($"{row.Source}: {how}; change it by hand to {newImage}."), ErrorIds.ImageTagUpdateFailed, row));
                        continue;
                    }

                    string replacement = site.ArgumentName is not null && site.ArgumentName.EndsWith(":tag", StringComparison.Ordinal)
                        ? row.Candidate + (digest is null ? string.Empty : "@" + digest)
                        : ImageText.WithTag(site.Text, row.Candidate, digest);
                    string target = $"{input.Path}:{site.Line}";
                    string what = row.SourceKind == UpgradeSourceKind.EnvironmentFile && row.EnvironmentName is not null ? $" ({row.EnvironmentName})" : string.Empty;
                    if (ShouldProcess(target, $"Change '{site.Text}' to '{replacement}'{what}"))
                    {
                        if (!fileChanges.TryGetValue(input.Path, out var list))
                        {
                            fileChanges[input.Path] = list = new();
                        }

                        list.Add((row, site, replacement, newImage, input.ContentDigest));
                    }
                    else
                    {
                        WriteObject(new ImageTagUpdate { Target = target, TargetKind = row.SourceKind, OldImage = row.Image, NewImage = newImage, Applied = false, Reason = "WhatIf", Path = input.Path, Line = site.Line, EnvironmentName = row.EnvironmentName });
                    }

                    break;

                case UpgradeSourceKind.Environment:
                    UpdateEnvironment(row, newImage);
                    break;

                default:
                    WriteObject(new ImageTagUpdate { Target = row.Source, TargetKind = UpgradeSourceKind.Image, OldImage = row.Image, NewImage = newImage, Applied = false, Reason = "A plain image reference has no file or environment to write to." });
                    break;
            }
        }

        foreach (var (path, changes) in fileChanges)
        {
            // Every change to one file must come from one reading of it: rows of two audits of a file that changed in between are refused together.
            string[] readings = changes.Select(c => c.ContentDigest ?? string.Empty).Distinct(StringComparer.Ordinal).ToArray();
            if (readings.Length != 1 || readings[0].Length == 0)
            {
                string message = $"{path}: the changes come from {(readings.Length == 1 ? "an audit that kept no record of the file's content" : "audits that read different contents of the file")}; it was not touched. Audit it again with Get-RenkuImageUpgrade and update from that.";
                WriteError(ErrorMap.Refused(ErrorIds.ImageTagUpdateFailed, message, path, null));
                continue;
            }

            try
            {
                if (changes[0].Row.SourceKind == UpgradeSourceKind.EnvironmentFile)
                {
                    EnvironmentFileImages.Apply(path, readings[0], changes.Select(c => (c.Site, c.Replacement)));
                }
                else
                {
                    DockerfileRewriter.Apply(path, readings[0], changes.Select(c => (c.Site, c.Replacement)));
                }

                foreach (var change in changes)
                {
                    WriteObject(new ImageTagUpdate { Target = $"{path}:{change.Site.Line}", TargetKind = change.Row.SourceKind, OldImage = change.Row.Image, NewImage = change.NewImage, Applied = true, Path = path, Line = change.Site.Line, EnvironmentName = change.Row.EnvironmentName });
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                WriteError(ErrorMap.Record(ex, ErrorIds.ImageTagUpdateFailed, path, ex.Message, "The file was left as it was. Audit it again and update from the new audit."));
            }
        }
    }

    /// <summary>Changes the environment's container_image through the data API (an admin-only PATCH).</summary>
    private void UpdateEnvironment(ImageUpgrade row, string newImage)
    {
        string target = row.Source;
        if (row.EnvironmentId is null)
        {
            WriteError(ErrorMap.Record(new InvalidOperationException($"{row.Source}: the environment has no Id, so it cannot be updated."), ErrorIds.ImageTagUpdateFailed, row));
            return;
        }

        WarnIfManaged(row, newImage);
        if (!ShouldProcess(target, $"Change the environment image '{row.Image}' to '{newImage}'"))
        {
            WriteObject(new ImageTagUpdate { Target = target, TargetKind = UpgradeSourceKind.Environment, OldImage = row.Image, NewImage = newImage, Applied = false, Reason = "WhatIf", EnvironmentId = row.EnvironmentId, EnvironmentName = row.EnvironmentName });
            return;
        }

        RequireAdmin();
        try
        {
            var change = new EnvironmentFieldChange("container_image", row.Image, newImage);
            GlobalEnvironment updated = Run((_, ct) => Client.UpdateEnvironmentAsync(row.EnvironmentId, new[] { change }, ct));
            WriteObject(new ImageTagUpdate { Target = target, TargetKind = UpgradeSourceKind.Environment, OldImage = row.Image, NewImage = updated.Image, Applied = true, EnvironmentId = row.EnvironmentId, EnvironmentName = row.EnvironmentName });
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            WriteFailure(ex, row);
        }
    }
}
