using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Changes fields of global session environments; only the fields that differ are sent.
/// </summary>
[Cmdlet(VerbsCommon.Set, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = ParameterSets.Id)]
[OutputType(typeof(GlobalEnvironment))]
public sealed class SetRenkuGlobalEnvironmentCommand : RenkuApiCmdlet
{
    private IReadOnlyList<GlobalEnvironment>? all;

    /// <summary>The environment's name, exactly (no wildcards); an id also works here. A name piped in as text or as a Name property binds here.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.Name, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [Alias("EnvironmentId")]
    [ArgumentCompleter(typeof(EnvironmentIdCompleter))]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.InputObject, ValueFromPipeline = true)]
    public GlobalEnvironment InputObject { get; set; } = null!;

    /// <summary>The new name.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? NewName { get; set; }

    /// <summary>With -NewName: allows a name another environment has already.</summary>
    [Parameter]
    public SwitchParameter AllowDuplicateName { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Image { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? Description { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? DefaultUrl { get; set; }

    [Parameter]
    public int? Port { get; set; }

    [Parameter]
    public int? Uid { get; set; }

    [Parameter]
    public int? Gid { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? WorkingDirectory { get; set; }

    [Parameter]
    [AllowEmptyString]
    public string? MountDirectory { get; set; }

    [Parameter]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Command { get; set; }

    [Parameter]
    [AllowNull]
    [AllowEmptyCollection]
    [Alias("Args")]
    public string[]? Arguments { get; set; }

    [Parameter]
    public SwitchParameter StripPathPrefix { get; set; }

    [Parameter]
    public SwitchParameter Archive { get; set; }

    [Parameter]
    public SwitchParameter Unarchive { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Begin()
    {
        if (Archive.IsPresent && Unarchive.IsPresent)
        {
            Refuse(ErrorMap.ConflictingParameters(ErrorIds.ConflictingArchiveSwitches, "-Archive and -Unarchive exclude each other.", null, "Give one of them."));
        }

        RequireAdmin();
    }

    protected override void Process()
    {
        string? id = ParameterSetName switch
        {
            ParameterSets.InputObject => InputObject.Id,
            ParameterSets.Name => ResolveName(Name),
            _ => Id,
        };
        if (id is null)
        {
            return;
        }

        if (!EnvironmentValidator.IsUlid(id))
        {
            WriteError(InvalidIdError(id));
            return;
        }

        var wanted = Wanted();
        var problems = wanted.Select(p => EnvironmentValidator.Check(p.Key, p.Value, forPatch: true)).OfType<EnvironmentValidationProblem>().ToList();
        if (!WriteValidationErrors(problems, id))
        {
            return;
        }

        try
        {
            GlobalEnvironment? current = Run((_, ct) => Client.GetEnvironmentAsync(id, ct));
            if (current is null)
            {
                WriteError(ErrorMap.EnvironmentNotFound(id));
                return;
            }

            // A new name another environment has would make both ambiguous, and an exported file unsyncable.
            if (NewName is { Length: > 0 } newName && !AllowDuplicateName && !string.Equals(newName, current.Name, StringComparison.Ordinal))
            {
                all ??= Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct));
                var holders = EnvironmentLookup.Holders(newName, all, exceptId: id);
                if (holders.Count > 0)
                {
                    WriteError(EnvironmentNameErrors.Taken(newName, holders));
                    return;
                }
            }

            var changes = EnvironmentDiff.Compare(current, wanted);
            if (changes.Count == 0)
            {
                WriteVerbose($"'{current.Name}' ({id}) already has these values; nothing sent.");
                if (PassThru)
                {
                    WriteObject(current);
                }

                return;
            }

            string action = "Set " + string.Join("; ", changes.Select(c => c.ToString()));
            if (!ShouldProcess($"'{current.Name}' ({id})", action))
            {
                return;
            }

            GlobalEnvironment updated = Run((_, ct) => Client.UpdateEnvironmentAsync(id, changes.ToList(), ct));
            if (PassThru)
            {
                WriteObject(updated);
            }
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            WriteFailure(ex, id);
        }
    }

    /// <summary>The id of the one environment <paramref name="name"/> names, or null after an error (none, or several).</summary>
    private string? ResolveName(string name) =>
        EnvironmentNames.IdOf(name, () => all ??= Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct)), MyInvocation.MyCommand.Name, WriteError);

    /// <summary>The fields the caller gave, under their API names.</summary>
    private List<KeyValuePair<string, object?>> Wanted()
    {
        var bound = MyInvocation.BoundParameters;
        var wanted = new List<KeyValuePair<string, object?>>();
        void Add(string parameter, string field, object? value)
        {
            if (bound.ContainsKey(parameter))
            {
                wanted.Add(new(field, value));
            }
        }

        Add(nameof(NewName), EnvironmentFields.Name, NewName);
        Add(nameof(Image), EnvironmentFields.ContainerImage, Image);
        Add(nameof(Description), EnvironmentFields.Description, Description);
        Add(nameof(DefaultUrl), EnvironmentFields.DefaultUrl, DefaultUrl ?? string.Empty);
        Add(nameof(Port), EnvironmentFields.Port, Port);
        Add(nameof(Uid), EnvironmentFields.Uid, Uid);
        Add(nameof(Gid), EnvironmentFields.Gid, Gid);
        Add(nameof(WorkingDirectory), EnvironmentFields.WorkingDirectory, WorkingDirectory ?? string.Empty);
        Add(nameof(MountDirectory), EnvironmentFields.MountDirectory, MountDirectory ?? string.Empty);

        // An empty list or $null clears command/args (the API wants an explicit null).
        Add(nameof(Command), EnvironmentFields.Command, Command is { Length: > 0 } ? Command : null);
        Add(nameof(Arguments), EnvironmentFields.Args, Arguments is { Length: > 0 } ? Arguments : null);
        Add(nameof(StripPathPrefix), EnvironmentFields.StripPathPrefix, StripPathPrefix.IsPresent);
        if (Archive.IsPresent)
        {
            wanted.Add(new(EnvironmentFields.IsArchived, true));
        }
        else if (Unarchive.IsPresent)
        {
            wanted.Add(new(EnvironmentFields.IsArchived, false));
        }

        return wanted;
    }
}
