using System.Management.Automation;
using System.Management.Automation.Runspaces;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>
/// A pipeline that runs in the background so that a test can stop it midway, as Ctrl+C does.
/// </summary>
internal sealed class PipelineRunner : IDisposable
{
    private readonly Runspace runspace;
    private readonly System.Management.Automation.PowerShell ps;
    private readonly IAsyncResult async;

    public PipelineRunner(string script, IDictionary<string, object?> variables)
    {
        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { ModuleHost.Manifest });
        foreach (var pair in variables)
        {
            state.Variables.Add(new SessionStateVariableEntry(pair.Key, pair.Value, string.Empty));
        }

        runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddScript(script);
        async = ps.BeginInvoke<PSObject, PSObject>(null, new PSDataCollection<PSObject>());
    }

    public IReadOnlyList<string> Verbose => ps.Streams.Verbose.Select(v => v.Message).ToList();

    public bool IsCompleted => async.IsCompleted;

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; false on timeout or when the pipeline ended first.</summary>
    public bool WaitFor(Func<bool> condition, TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !async.IsCompleted)
        {
            if (condition())
            {
                return true;
            }

            Thread.Sleep(200);
        }

        return condition();
    }

    /// <summary>Stops the pipeline (what Ctrl+C does) and returns how long stopping took.</summary>
    public TimeSpan Stop()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        ps.Stop();
        async.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60));
        return clock.Elapsed;
    }

    public void Dispose()
    {
        if (!async.IsCompleted)
        {
            ps.Stop();
        }

        ps.Dispose();
        runspace.Dispose();
    }
}
