using System.Management.Automation;
using Renku.PowerShell.Commands.Internal;


namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// <para type="synopsis">Gets the current Renku connection.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuConnection")]
[OutputType(typeof(RenkuConnection))]
public sealed class GetRenkuConnectionCommand : PSCmdlet
{
    protected override void EndProcessing()
    {
        RenkuConnection? connection = ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            WriteError(new ErrorRecord(new InvalidOperationException("There is no connection to Renku."), ErrorIds.RenkuNotConnected, ErrorCategory.ConnectionError, null)
            {
                ErrorDetails = new ErrorDetails("There is no connection to Renku in this session.") { RecommendedAction = "Run Connect-RenkuInstance first." },
            });
            return;
        }

        WriteObject(connection);
    }
}
