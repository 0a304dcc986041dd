using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Gets Renku's global session environments.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuGlobalEnvironment", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(GlobalEnvironment))]
public sealed class GetRenkuGlobalEnvironmentCommand : RenkuApiCmdlet, IHashtableInput
{
    private IReadOnlyList<GlobalEnvironment>? all;

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [Alias("EnvironmentId")]
    public string[] Id { get; set; } = Array.Empty<string>();

    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Name)]
    public SwitchParameter IncludeArchived { get; set; }

    /// <summary>
    /// A hashtable piped in (Import-PowerShellDataFile returns them) or given: its keys bind as the
    /// properties of a piped object bind, to the parameters that take pipeline input by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    protected override void Process()
    {
        if (ParameterSetName == ParameterSets.Id)
        {
            foreach (string id in Id)
            {
                if (!EnvironmentValidator.IsUlid(id))
                {
                    WriteError(InvalidIdError(id));
                    continue;
                }

                try
                {
                    GlobalEnvironment? environment = Run((_, ct) => Client.GetEnvironmentAsync(id, ct));
                    if (environment is null)
                    {
                        WriteError(ErrorMap.EnvironmentNotFound(id));
                    }
                    else
                    {
                        WriteObject(environment);
                    }
                }
                catch (Exception ex) when (IsKnownFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }

            return;
        }

        try
        {
            all ??= Run((_, ct) => Client.GetEnvironmentsAsync(IncludeArchived, ct));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Client.Connection.ApiUri);
        }

        var sorted = all.OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        if (Name is null || Name.Length == 0)
        {
            WriteObject(sorted, enumerateCollection: true);
            return;
        }

        foreach (string name in Name)
        {
            var pattern = new WildcardPattern(name, WildcardOptions.IgnoreCase);
            var found = sorted.Where(e => pattern.IsMatch(e.Name)).ToList();
            if (found.Count == 0 && !WildcardPattern.ContainsWildcardCharacters(name))
            {
                WriteError(ErrorMap.Record(new ItemNotFoundException($"There is no global environment named '{name}'."), ErrorIds.EnvironmentNotFound, name, $"There is no global environment named '{name}'{(IncludeArchived ? string.Empty : " (archived ones are left out)")}.", "List them with Get-RenkuGlobalEnvironment -IncludeArchived."));
            }

            WriteObject(found, enumerateCollection: true);
        }
    }
}
