// A test-only cmdlet on the module's cmdlet core, compiled by the Pester suite with Add-Type: its
// engine work ignores cancellation (as a stuck Docker call or a cleanup that hangs does), so a
// stop has to return within the core's bound without it. Never shipped with the module.
using System;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.TestCmdlets;

[Cmdlet(VerbsLifecycle.Invoke, "StubbornWork")]
[OutputType(typeof(string))]
public sealed class InvokeStubbornWorkCommand : RenkuCmdlet
{
    private TimeSpan bound = TimeSpan.FromSeconds(10);

    /// <summary>How long the work runs, whatever happens: it never looks at its cancellation token.</summary>
    [Parameter(Mandatory = true)]
    public TimeSpan Duration { get; set; }

    /// <summary>What the work records as created and not yet removed while it runs.</summary>
    [Parameter]
    public string[] Leftover { get; set; } = Array.Empty<string>();

    /// <summary>A file the work creates when it starts (so a test knows when to stop it).</summary>
    [Parameter(Mandatory = true)]
    public string StartedFile { get; set; } = string.Empty;

    /// <summary>A file the work creates when it ends, stop or not.</summary>
    [Parameter(Mandatory = true)]
    public string EndedFile { get; set; } = string.Empty;

    /// <summary>The core's cleanup bound for this invocation (10 s in the module).</summary>
    [Parameter]
    public TimeSpan CleanupBoundOverride
    {
        get => bound;
        set => bound = value;
    }

    protected override TimeSpan CleanupBound => bound;

    protected override void End()
    {
        string result = Run(async (writer, _) =>
        {
            var entries = new IDisposable[Leftover.Length];
            for (int i = 0; i < Leftover.Length; i++)
            {
                entries[i] = Ledger.Track(Leftover[i]);
            }

            File.WriteAllText(StartedFile, DateTime.UtcNow.ToString("O"));
            writer.WriteVerbose("Working, deaf to cancellation.");
            await Task.Delay(Duration, CancellationToken.None).ConfigureAwait(false);
            foreach (IDisposable entry in entries)
            {
                entry.Dispose();
            }

            File.WriteAllText(EndedFile, DateTime.UtcNow.ToString("O"));
            return "done";
        });
        WriteObject(result);
    }
}
