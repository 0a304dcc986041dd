using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Internal;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// <para type="synopsis">Makes Renku's global environments match a YAML or JSON file.</para>
/// </summary>
[Cmdlet(VerbsData.Sync, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(EnvironmentChange))]
public sealed class SyncRenkuGlobalEnvironmentCommand : RenkuCmdlet
{
    private const int ProgressId = 0x5e1c;

    /// <summary>The environments file (.yaml, .yml or .json).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "LiteralPath", "FullName")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Archives environments the file does not list.</summary>
    [Parameter]
    public SwitchParameter Prune { get; set; }

    /// <summary>With -Prune: removes (instead of archiving) environments the file does not list.</summary>
    [Parameter]
    public SwitchParameter Remove { get; set; }

    protected override IEnumerable<ParameterGroup> CreateParameterGroups()
    {
        yield return ConnectionGroup();
    }

    protected override void Begin() => RequireAdmin();

    protected override void Process()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        IReadOnlyList<EnvironmentFileItem> items;
        try
        {
            items = EnvironmentFile.ReadItems(path);
        }
        catch (FileNotFoundException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.EnvironmentFileNotFound, ErrorCategory.ObjectNotFound, path)
            {
                ErrorDetails = new ErrorDetails($"The environments file {path} does not exist.") { RecommendedAction = "Check -Path; Export-RenkuGlobalEnvironment writes a starting point." },
            });
            return;
        }
        catch (EnvironmentFileException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.EnvironmentFileInvalid, ErrorCategory.ParserError, path)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Nothing was sent to Renku. Fix the file: a top-level 'environments' list whose entries use the API's field names." },
            });
            return;
        }

        // Every entry is checked before anything is read or written; each error names the file, the line and the key.
        IReadOnlyList<EnvironmentSpec> desired = items.Select(i => i.Spec).ToList();
        if (!WriteValidationErrors(EnvironmentFile.Validate(path, items), path))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"{path} has invalid values."), ErrorIds.EnvironmentFileInvalid, ErrorCategory.InvalidData, path)
            {
                ErrorDetails = new ErrorDetails($"{path} has values Renku would refuse (see the errors above); nothing was sent.") { RecommendedAction = "Correct the values and run the sync again." },
            });
        }

        if (Remove && !Prune)
        {
            WriteWarning("-Remove only acts together with -Prune; nothing will be removed.");
        }

        IReadOnlyList<EnvironmentSyncStep> steps;
        IReadOnlyList<SessionLauncher>? launchers = null;
        try
        {
            var current = Run(ct => Client.GetEnvironmentsAsync(includeArchived: true, ct));
            steps = EnvironmentSyncPlanner.Plan(desired, current, Prune, Remove && Prune);
            if (steps.Any(s => s.Change.Action == EnvironmentChangeAction.Remove))
            {
                ConfirmStillAdmin();
                launchers = Run(ct => Client.GetSessionLaunchersAsync(null, ct));
            }
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, path);
            return;
        }

        int done = 0;
        foreach (EnvironmentSyncStep step in steps)
        {
            WriteProgress(new ProgressRecord(ProgressId, "Syncing global environments", $"{step.Change.Action} {step.Change.Name}") { PercentComplete = steps.Count == 0 ? 100 : done * 100 / steps.Count });
            Apply(step, launchers);
            WriteObject(step.Change);
            done++;
        }

        WriteProgress(new ProgressRecord(ProgressId, "Syncing global environments", "Done") { RecordType = ProgressRecordType.Completed });
    }

    private void Apply(EnvironmentSyncStep step, IReadOnlyList<SessionLauncher>? launchers)
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
                WriteError(new ErrorRecord(new InvalidOperationException(message), ErrorIds.EnvironmentInUse, ErrorCategory.ResourceBusy, step.Current)
                {
                    ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Run the sync with -Prune but without -Remove to archive it instead." },
                });
                return;
            }
        }

        if (!ShouldProcess(target, action))
        {
            return;
        }

        try
        {
            switch (change.Action)
            {
                case EnvironmentChangeAction.Create:
                    change.Environment = Run(ct => Client.CreateEnvironmentAsync(step.Desired!, ct));
                    break;
                case EnvironmentChangeAction.Update:
                case EnvironmentChangeAction.Archive:
                    change.Environment = Run(ct => Client.UpdateEnvironmentAsync(step.Current!.Id, change.Changes, ct));
                    break;
                case EnvironmentChangeAction.Remove:
                    Run(ct => Client.DeleteEnvironmentAsync(step.Current!.Id, ct));
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
