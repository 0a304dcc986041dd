using System.Management.Automation;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// Gets the current Renku connection.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuConnection")]
[OutputType(typeof(RenkuConnection))]
public sealed class GetRenkuConnectionCommand : RenkuCmdlet
{
    /// <summary>
    /// Writes the current connection, or nothing when there is none (as Get-AzContext does): a
    /// question about the state is answered, not refused. The cmdlets that need a connection say
    /// RenkuNotConnected.
    /// </summary>
    protected override void End()
    {
        RenkuConnection? connection = ConnectionStore.Current;
        if (connection is not null && connection.IsOpen)
        {
            WriteObject(connection);
        }
    }
}
