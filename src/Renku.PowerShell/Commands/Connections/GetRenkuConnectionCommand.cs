using System.Management.Automation;
using Renku.PowerShell.Commands.Internal;


namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// <para type="synopsis">Gets the current Renku connection.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuConnection")]
[OutputType(typeof(RenkuConnection))]
public sealed class GetRenkuConnectionCommand : RenkuCmdlet
{
    protected override void End()
    {
        RenkuConnection? connection = ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            WriteError(ErrorMap.NotConnected());
            return;
        }

        WriteObject(connection);
    }
}
