using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Removes global session environments that no session launcher uses.
/// </summary>
[Cmdlet(VerbsCommon.Remove, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ParameterSets.Id)]
[OutputType(typeof(GlobalEnvironment))]
public sealed class RemoveRenkuGlobalEnvironmentCommand : RenkuApiCmdlet
{
    private IReadOnlyList<SessionLauncher>? launchers;
    private IReadOnlyList<GlobalEnvironment>? all;

    /// <summary>The environment's name, exactly (no wildcards); an id also works here. Names piped in as text or as a Name property bind here.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string[] Name { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [Alias("EnvironmentId")]
    [ArgumentCompleter(typeof(EnvironmentIdCompleter))]
    public string[] Id { get; set; } = Array.Empty<string>();

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.InputObject, ValueFromPipeline = true)]
    public GlobalEnvironment[] InputObject { get; set; } = Array.Empty<GlobalEnvironment>();

    /// <summary>Skips the confirmation prompt (never -WhatIf).</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Begin() => RequireAdmin();

    protected override void Process()
    {
        IEnumerable<string> ids = ParameterSetName switch
        {
            ParameterSets.InputObject => InputObject.Select(e => e.Id),
            ParameterSets.Name => Name.Select(ResolveName).OfType<string>().ToList(),
            _ => Id,
        };
        foreach (string id in ids)
        {
            if (!EnvironmentValidator.IsUlid(id))
            {
                WriteError(InvalidIdError(id));
                continue;
            }

            try
            {
                Remove(id);
            }
            catch (Exception ex) when (IsKnownFailure(ex))
            {
                WriteFailure(ex, id);
            }
        }
    }

    /// <summary>The id of the one environment <paramref name="name"/> names, or null after an error (none, or several).</summary>
    private string? ResolveName(string name) =>
        EnvironmentNames.IdOf(name, () => all ??= Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct)), MyInvocation.MyCommand.Name, WriteError);

    private void Remove(string id)
    {
        // The API answers 204 for an id that does not exist, so look first.
        GlobalEnvironment? environment = Run((_, ct) => Client.GetEnvironmentAsync(id, ct));
        if (environment is null)
        {
            WriteError(ErrorMap.EnvironmentNotFound(id));
            return;
        }

        // There is no query by environment; an admin reads every launcher, so list and filter. The
        // user is checked first: an expired token would silently read as anonymous and see none.
        if (launchers is null)
        {
            ConfirmStillAdmin();
            launchers = Run((_, ct) => Client.GetSessionLaunchersAsync(null, ct));
        }

        var users = EnvironmentUsage.LaunchersUsing(launchers, id);
        if (users.Count > 0)
        {
            string names = string.Join(", ", users.Select(EnvironmentUsage.Describe));
            string message = $"The global environment '{environment.Name}' ({id}) is used by {users.Count} session launcher(s): {names}. Removing it would fail in the database and break them.";
            WriteError(ErrorMap.Refused(ErrorIds.EnvironmentInUse, message, environment, $"Archive it instead (Set-RenkuGlobalEnvironment -Id {id} -Archive): existing launchers keep working and new projects cannot pick it."));
            return;
        }

        // High impact: -Force, -Confirm:$false or a person's answer; a session that cannot ask is refused, never taken for a yes.
        string target = $"'{environment.Name}' ({id}, {environment.Image})";
        bool confirmed = DestructiveConfirmation.Of(this, Force) == DestructiveConfirmation.Stance.Given
            || DestructiveConfirmation.Ask(this, () => ShouldProcess(target, "Remove global environment"), $"Removing the global environment '{environment.Name}' ({id})", "nothing else changed.", environment);
        if (!confirmed)
        {
            return;
        }

        Run((_, ct) => Client.DeleteEnvironmentAsync(id, ct));
        WriteVerbose($"Removed '{environment.Name}' ({id}).");
        if (PassThru)
        {
            WriteObject(environment);
        }
    }
}
