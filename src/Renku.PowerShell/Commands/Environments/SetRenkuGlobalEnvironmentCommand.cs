using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Internal;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// <para type="synopsis">Changes fields of global session environments; only the fields that differ are sent.</para>
/// </summary>
[Cmdlet(VerbsCommon.Set, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium, DefaultParameterSetName = IdSet)]
[OutputType(typeof(GlobalEnvironment))]
public sealed class SetRenkuGlobalEnvironmentCommand : RenkuCmdlet
{
    private const string IdSet = "Id";
    private const string InputObjectSet = "InputObject";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = IdSet, ValueFromPipelineByPropertyName = true)]
    [Alias("EnvironmentId")]
    public string Id { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
    public GlobalEnvironment InputObject { get; set; } = null!;

    /// <summary>The new name.</summary>
    [Parameter]
    [AllowEmptyString]
    public string? Name { get; set; }

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

    protected override IEnumerable<ParameterGroup> CreateParameterGroups()
    {
        yield return ConnectionGroup();
    }

    protected override void Begin()
    {
        if (Archive.IsPresent && Unarchive.IsPresent)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Archive and -Unarchive exclude each other."), ErrorIds.ConflictingArchiveSwitches, ErrorCategory.InvalidArgument, null)
            {
                ErrorDetails = new ErrorDetails("-Archive and -Unarchive exclude each other.") { RecommendedAction = "Give one of them." },
            });
        }

        RequireAdmin();
    }

    protected override void Process()
    {
        string id = ParameterSetName == InputObjectSet ? InputObject.Id : Id;
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
            GlobalEnvironment? current = Run(ct => Client.GetEnvironmentAsync(id, ct));
            if (current is null)
            {
                WriteError(ErrorMap.EnvironmentNotFound(id));
                return;
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

            GlobalEnvironment updated = Run(ct => Client.UpdateEnvironmentAsync(id, changes.ToList(), ct));
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

        Add(nameof(Name), EnvironmentFields.Name, Name);
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
