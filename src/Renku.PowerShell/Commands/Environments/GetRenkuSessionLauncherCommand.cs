using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Gets session launchers, optionally only those of one project or those that use given environments.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuSessionLauncher")]
[OutputType(typeof(SessionLauncher))]
public sealed class GetRenkuSessionLauncherCommand : RenkuApiCmdlet, IHashtableInput
{
    private IReadOnlyList<SessionLauncher>? launchers;
    private bool warned;

    /// <summary>Only launchers that start these environments. Environment objects pipe in by their Id.</summary>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string[]? EnvironmentId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? ProjectId { get; set; }

    [Parameter]
    [SupportsWildcards]
    public string? Name { get; set; }

    /// <summary>
    /// A hashtable piped in (Import-PowerShellDataFile returns them) or given: its keys bind as the
    /// properties of a piped object bind, to the parameters that take pipeline input by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    protected override void Process()
    {
        if (ProjectId is not null && !EnvironmentValidator.IsUlid(ProjectId))
        {
            WriteError(InvalidIdError(ProjectId, ErrorIds.InvalidProjectId));
            return;
        }

        if (EnvironmentId is not null)
        {
            foreach (string bad in EnvironmentId.Where(id => !EnvironmentValidator.IsUlid(id)))
            {
                WriteError(InvalidIdError(bad));
            }
        }

        if (!warned && ProjectId is null && !RequireConnection().IsAdmin)
        {
            warned = true;
            WriteWarning($"{Client.Connection.UserName} is not a Renku admin: only launchers of projects this user can read are listed.");
        }

        IReadOnlyList<SessionLauncher> found;
        try
        {
            found = ProjectId is null
                ? launchers ??= Run((_, ct) => Client.GetSessionLaunchersAsync(null, ct))
                : Run((_, ct) => Client.GetSessionLaunchersAsync(ProjectId, ct));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            WriteFailure(ex, ProjectId);
            return;
        }

        IEnumerable<SessionLauncher> selected = found;
        if (EnvironmentId is not null)
        {
            var ids = EnvironmentId.Where(EnvironmentValidator.IsUlid).ToHashSet(StringComparer.OrdinalIgnoreCase);
            selected = selected.Where(l => l.EnvironmentId is not null && ids.Contains(l.EnvironmentId));
        }

        if (Name is not null)
        {
            var pattern = new WildcardPattern(Name, WildcardOptions.IgnoreCase);
            selected = selected.Where(l => pattern.IsMatch(l.Name));
        }

        WriteObject(selected.OrderBy(l => l.Name, StringComparer.OrdinalIgnoreCase).ThenBy(l => l.Id, StringComparer.Ordinal), enumerateCollection: true);
    }
}
