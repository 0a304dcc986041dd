using System.Management.Automation;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;


namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// Closes a Renku connection and forgets its tokens.
/// </summary>
[Cmdlet(VerbsCommunications.Disconnect, "RenkuInstance", SupportsShouldProcess = true)]
[OutputType(typeof(RenkuConnection))]
public sealed class DisconnectRenkuInstanceCommand : RenkuCmdlet
{
    /// <summary>The connection to close; the current one when left out.</summary>
    [Parameter(Position = 0, ValueFromPipeline = true)]
    public RenkuConnection? Connection { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        RenkuConnection? current = ConnectionStore.Current;
        RenkuConnection? target = Connection ?? current;
        if (target is null)
        {
            WriteError(ErrorMap.NotConnected());
            return;
        }

        if (!ShouldProcess(target.ToString(), "Disconnect"))
        {
            return;
        }

        target.Dispose();
        if (ReferenceEquals(target, current))
        {
            ConnectionStore.Current = null;
        }

        WriteVerbose($"Disconnected from {target.Uri}.");
        if (PassThru)
        {
            WriteObject(target);
        }
    }
}
