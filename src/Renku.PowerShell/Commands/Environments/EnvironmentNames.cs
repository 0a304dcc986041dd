using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>A global environment given by name, as the cmdlets that act on one resolve it.</summary>
internal static class EnvironmentNames
{
    /// <summary>
    /// The id of the one environment <paramref name="name"/> names among those <paramref name="listAll"/>
    /// reads (archived ones included), or null after an error written through <paramref name="writeError"/>:
    /// none, several (the advice names <paramref name="command"/>), or a failure to list them.
    /// </summary>
    internal static string? IdOf(string name, Func<IReadOnlyList<GlobalEnvironment>> listAll, string command, Action<ErrorRecord> writeError)
    {
        IReadOnlyList<GlobalEnvironment> all;
        try
        {
            all = listAll();
        }
        catch (Exception ex) when (ErrorMap.For(ex, name) is ErrorRecord failure)
        {
            writeError(failure);
            return null;
        }

        var (outcome, matches) = EnvironmentLookup.Find(name, all);
        switch (outcome)
        {
            case EnvironmentLookup.Outcome.Found:
                return matches[0].Id;
            case EnvironmentLookup.Outcome.Ambiguous:
                writeError(EnvironmentNameErrors.Ambiguous(name, matches, command));
                return null;
            default:
                writeError(EnvironmentNameErrors.NotFound(name));
                return null;
        }
    }
}
