using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Makes Renku's global environments match a YAML or JSON file.
/// </summary>
[Cmdlet(VerbsData.Sync, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EnvironmentChange))]
public sealed class SyncRenkuGlobalEnvironmentCommand : RenkuApiCmdlet
{
    private const int ProgressId = 0x5e1c;

    /// <summary>The environments file (.yaml, .yml or .json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath", "FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Archives environments the file does not list.</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    /// <summary>With -Prune: removes (instead of archiving) environments the file does not list. Removals need a confirmation (-Force, -Confirm:$false or a person's answer).</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    /// <summary>Removes without asking (never under -WhatIf).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>Accepts a file that lists no environments (with -Prune: every environment is archived or removed).</summary>
    [Parameter]
    public SwitchParameter AllowEmpty { get; set; }

    /// <summary>Accepts a prune that archives or removes more than half of the environments in use.</summary>
    [Parameter]
    public SwitchParameter AllowLargePrune { get; set; }

    protected override void Begin() => RequireAdmin();

    private static readonly PathRole EnvironmentsFilePath = new(PathKind.File, "environments file", ErrorIds.EnvironmentFileNotFound, Advice: "Check -Path (relative to the current location); Export-RenkuGlobalEnvironment writes a starting point.");

    protected override void Process()
    {
        if (!ProviderPaths.TryOne(this, Path, literal: true, EnvironmentsFilePath, out string? path, out ErrorRecord? error))
        {
            Refuse(error);
        }

        // The file is checked whole before anything is read from or written to Renku: one error per
        // problem (each names the file, the line and the key), then one terminating summary.
        EnvironmentFileCheck? check = null;
        try
        {
            check = EnvironmentFile.Check(path);
        }
        catch (FileNotFoundException ex)
        {
            // Gone between the check of the path and the read.
            Refuse(ErrorMap.Record(ex, ErrorIds.EnvironmentFileNotFound, path, $"The environments file {path} does not exist.", "Check -Path; Export-RenkuGlobalEnvironment writes a starting point."));
        }
        catch (EnvironmentFileException ex)
        {
            Refuse(ErrorMap.Record(ex, ErrorIds.EnvironmentFileInvalid, path, ex.Message, "Nothing was sent to Renku. Fix the file: a top-level 'environments' list whose entries use the API's field names."));
        }

        EnvironmentFileErrors.ThrowIfInvalid(this, check);
        IReadOnlyList<EnvironmentSpec> desired = check.Environments;

        // An empty file is far more often a template bug or a failed export than a wish to empty the platform.
        if (desired.Count == 0 && !AllowEmpty)
        {
            string effect = !Prune ? "would change nothing" : Remove ? "would remove every environment that no launcher uses" : "would archive every environment";
            string message = $"{path} lists no environments; a sync with it {effect}. Nothing was sent.";
            Refuse(ErrorMap.Refused(ErrorIds.EnvironmentFileEmpty, message, path, "Check the file (Export-RenkuGlobalEnvironment writes every environment); if an empty fleet is meant, add -AllowEmpty."));
        }

        if (Remove && !Prune)
        {
            WriteWarning("-Remove only acts together with -Prune; nothing will be removed.");
        }

        IReadOnlyList<EnvironmentSyncStep>? steps = null;
        IReadOnlyList<SessionLauncher>? launchers = null;
        try
        {
            var current = Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct));
            steps = EnvironmentSyncPlanner.Plan(desired, current, Prune, Remove && Prune);
            RefuseLargePrune(path, steps, current);
            if (steps.Any(s => s.Change.Action == EnvironmentChangeAction.Remove))
            {
                ConfirmStillAdmin();
                launchers = Run((_, ct) => Client.GetSessionLaunchersAsync(null, ct));
            }
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, path);
        }

        bool removalsConfirmed = ConfirmRemovals(path, steps, launchers);
        int done = 0;
        foreach (EnvironmentSyncStep step in steps)
        {
            WriteProgress(new ProgressRecord(ProgressId, "Syncing global environments", $"{step.Change.Action} {step.Change.Name}") { PercentComplete = done * 100 / steps.Count });
            Apply(step, launchers, removalsConfirmed);
            WriteObject(step.Change);
            done++;
        }

        WriteProgress(new ProgressRecord(ProgressId, "Syncing global environments", "Done") { RecordType = ProgressRecordType.Completed });
    }

    /// <summary>Refuses, before anything is sent, a prune that takes more than the allowed share of the active environments out of use.</summary>
    private void RefuseLargePrune(string path, IReadOnlyList<EnvironmentSyncStep> steps, IReadOnlyList<GlobalEnvironment> current)
    {
        var (takenOut, active) = EnvironmentPruneGuard.Share(steps, current);
        if (AllowLargePrune || !EnvironmentPruneGuard.Exceeds(takenOut.Count, active))
        {
            return;
        }

        string verb = Remove ? "remove or archive" : "archive";
        string names = string.Join(", ", takenOut.Take(10).Select(e => $"'{e.Name}'")) + (takenOut.Count > 10 ? $" and {takenOut.Count - 10} more" : string.Empty);
        string message = $"The sync would {verb} {takenOut.Count} of the {active} environments in use ({names}): more than {EnvironmentPruneGuard.MaxSharePercent}% of them, because {path} does not list them. Nothing was sent.";
        Refuse(ErrorMap.Refused(ErrorIds.PruneTooLarge, message, path, "Check that the file is the whole fleet (run with -WhatIf without -Prune to compare); if retiring that many is meant, add -AllowLargePrune."));
    }

    /// <summary>
    /// One confirmation for every removal, asked before anything is written: true when the removals
    /// may go ahead. A session that cannot ask stops the whole sync (nothing sent) with ConfirmationRequired.
    /// </summary>
    private bool ConfirmRemovals(string path, IReadOnlyList<EnvironmentSyncStep> steps, IReadOnlyList<SessionLauncher>? launchers)
    {
        var removals = steps
            .Where(s => s.Change.Action == EnvironmentChangeAction.Remove && EnvironmentUsage.LaunchersUsing(launchers ?? Array.Empty<SessionLauncher>(), s.Current!.Id).Count == 0)
            .ToList();
        if (removals.Count == 0)
        {
            return true;
        }

        // -WhatIf shows each removal; -Confirm asks for each one; -Force, -Confirm:$false or $ConfirmPreference = 'None' give the confirmation.
        if (DestructiveConfirmation.Of(this, Force) != DestructiveConfirmation.Stance.MustAsk || MyInvocation.BoundParameters.ContainsKey("Confirm"))
        {
            return true;
        }

        string list = string.Join(", ", removals.Select(s => $"'{s.Change.Name}' ({s.Current!.Id})"));
        string what = $"Removing {removals.Count} global environment(s) that {path} does not list ({list})";
        bool yes = DestructiveConfirmation.Ask(
            this,
            () => ShouldContinue($"{what}? A removed environment cannot be restored.", "Remove global environments"),
            what,
            "or leave out -Remove to archive them instead (Set-RenkuGlobalEnvironment -Unarchive undoes that).",
            path);
        if (!yes)
        {
            WriteWarning($"Not confirmed: {removals.Count} environment(s) are kept; the rest of the sync goes on.");
        }

        return yes;
    }

    private void Apply(EnvironmentSyncStep step, IReadOnlyList<SessionLauncher>? launchers, bool removalsConfirmed)
    {
        EnvironmentChange change = step.Change;
        if (change.Action == EnvironmentChangeAction.Unchanged)
        {
            return;
        }

        string target = step.Current is null ? $"'{change.Name}'" : $"'{change.Name}' ({step.Current.Id})";
        string action = change.Action switch
        {
            EnvironmentChangeAction.Create => $"Create global environment ({step.Desired!.Image}, port {step.Desired.Port})",
            EnvironmentChangeAction.Update => "Update " + string.Join("; ", change.Changes.Select(c => c.ToString())),
            EnvironmentChangeAction.Archive => "Archive global environment (not in the file)",
            _ => "Remove global environment (not in the file)",
        };

        if (change.Action == EnvironmentChangeAction.Remove)
        {
            var users = EnvironmentUsage.LaunchersUsing(launchers ?? Array.Empty<SessionLauncher>(), step.Current!.Id);
            if (users.Count > 0)
            {
                string message = $"'{change.Name}' ({step.Current!.Id}) is used by the session launcher(s) {string.Join(", ", users.Select(EnvironmentUsage.Describe))}; it was not removed.";
                WriteError(ErrorMap.Refused(ErrorIds.EnvironmentInUse, message, step.Current, "Run the sync with -Prune but without -Remove to archive it instead."));
                return;
            }
        }

        // Removals were confirmed once for all (or refused) above; under -WhatIf this shows them.
        if (change.Action == EnvironmentChangeAction.Remove && !removalsConfirmed)
        {
            return;
        }

        if (!DestructiveConfirmation.Ask(this, () => ShouldProcess(target, action), $"{change.Action} '{change.Name}'", "or leave out -Confirm.", target))
        {
            return;
        }

        try
        {
            switch (change.Action)
            {
                case EnvironmentChangeAction.Create:
                    change.Environment = Run((_, ct) => Client.CreateEnvironmentAsync(step.Desired!, ct));
                    break;
                case EnvironmentChangeAction.Update:
                case EnvironmentChangeAction.Archive:
                    change.Environment = Run((_, ct) => Client.UpdateEnvironmentAsync(step.Current!.Id, change.Changes, ct));
                    break;
                case EnvironmentChangeAction.Remove:
                    Run((_, ct) => Client.DeleteEnvironmentAsync(step.Current!.Id, ct));
                    break;
            }

            change.Applied = true;
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            WriteFailure(ex, change.Name);
        }
    }
}
