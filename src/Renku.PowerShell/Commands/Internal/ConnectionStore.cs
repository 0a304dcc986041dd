using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>
/// The current connection of each runspace. Kept per runspace (not per process) so that two
/// runspaces in one process, or two jobs, never share a login.
/// </summary>
internal static class ConnectionStore
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Connections = new();

    public static RenkuConnection? Current
    {
        get
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            return runspace is not null && Connections.TryGetValue(runspace, out Holder? holder) ? holder.Connection : null;
        }

        set
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace is not null)
            {
                Connections.GetOrCreateValue(runspace).Connection = value;
            }
        }
    }

    private sealed class Holder
    {
        public RenkuConnection? Connection { get; set; }
    }
}
