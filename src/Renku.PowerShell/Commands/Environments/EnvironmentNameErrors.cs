using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>The errors of naming environments: a name no environment has, one several share, one that is taken.</summary>
internal static class EnvironmentNameErrors
{
    internal static ErrorRecord NotFound(string name)
    {
        string message = $"There is no global environment named '{name}' (names are matched exactly, archived environments included).";
        return ErrorMap.NotFound(ErrorIds.EnvironmentNotFound, message, name, "Press Tab after -Name to complete a name, or list them with Get-RenkuGlobalEnvironment -IncludeArchived.");
    }

    internal static ErrorRecord Ambiguous(string name, IReadOnlyList<GlobalEnvironment> matches, string command)
    {
        string message = EnvironmentLookup.DescribeAmbiguity(name, matches) + " Nothing was changed.";
        return ErrorMap.Record(new EnvironmentNameException(name, duplicate: false, message), ErrorIds.EnvironmentNameAmbiguous, name, message, $"Give the one you mean by -Id ({command} -Id {matches[0].Id}), or rename the others.");
    }

    internal static ErrorRecord Taken(string name, IReadOnlyList<GlobalEnvironment> holders)
    {
        string message = $"A global environment named '{name}' exists already ({string.Join(", ", holders.Select(h => h.Id + (h.IsArchived ? " (archived)" : string.Empty)))}); a second one would make the name ambiguous, and an environments file exported afterwards could not be synced. Nothing was sent.";
        return ErrorMap.Refused(ErrorIds.EnvironmentNameTaken, message, name, "Choose another name, change the existing one with Set-RenkuGlobalEnvironment, or add -AllowDuplicateName if two environments of that name are meant.");
    }
}
