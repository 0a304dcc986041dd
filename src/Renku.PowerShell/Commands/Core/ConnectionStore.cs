using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The current connection of each runspace. Kept per runspace (not per process) so that two
/// runspaces in one process, or two jobs, never share a login.
/// </summary>
internal static class ConnectionStore
{
    private static readonly ConditionalWeakTable<Runspace, Holder> Connections = new();

    public static RenkuConnection? Current
    {
        get => For(Runspace.DefaultRunspace);

        set
        {
            Runspace? runspace = Runspace.DefaultRunspace;
            if (runspace is not null)
            {
                Connections.GetOrCreateValue(runspace).Connection = value;
            }
        }
    }

    /// <summary>The current connection of <paramref name="runspace"/> (a worker thread has no default runspace, so cmdlets pass theirs).</summary>
    public static RenkuConnection? For(Runspace? runspace) =>
        runspace is not null && Connections.TryGetValue(runspace, out Holder? holder) ? holder.Connection : null;

    private sealed class Holder
    {
        public RenkuConnection? Connection { get; set; }
    }
}
