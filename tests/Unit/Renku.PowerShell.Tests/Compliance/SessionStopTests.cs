using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>Ctrl+C (StopProcessing) during a session check still removes the container and the volume.</summary>
[Collection(nameof(ProcessWideStateCollection))]
public class SessionStopTests
{
    private static string[] Leftovers(string kind, string filter)
    {
        string[] arguments = kind == "container"
            ? new[] { "ps", "-a", "-q", "--filter", filter }
            : new[] { "volume", "ls", "-q", "--filter", filter };
        if (kind == "container")
        {
            arguments = arguments.Concat(new[] { "--filter", "label=io.renku.powershell.check=session" }).ToArray();
        }

        return DockerDaemon.Cli(TimeSpan.FromSeconds(30), arguments).EnsureSuccess("docker ls").StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    [SkippableFact]
    public void StoppingThePipelineRemovesTheSession()
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.WrongPort;
        string ancestor = "ancestor=" + image;
        Assert.Empty(Leftovers("container", ancestor));

        InitialSessionState state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(new[] { ModuleHost.Manifest });
        using Runspace runspace = RunspaceFactory.CreateRunspace(state);
        runspace.Open();
        using var ps = System.Management.Automation.PowerShell.Create(runspace);
        ps.AddCommand("Test-RenkuImageCompliance")
            .AddParameter("Image", new[] { image })
            .AddParameter("Source", "Docker")
            .AddParameter("DockerHost", host)
            .AddParameter("Runtime", "Docker")
            .AddParameter("Port", Renku.PowerShell.TestSupport.FreePort.Next())
            .AddParameter("ProbeTimeout", TimeSpan.FromMinutes(2));
        IAsyncResult running = ps.BeginInvoke();

        // Wait (bounded) until the session container exists, then press Ctrl+C.
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (Leftovers("container", ancestor).Length == 0 && DateTime.UtcNow < deadline && !running.IsCompleted)
        {
            Thread.Sleep(200);
        }

        string name = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "-a", "--format", "{{.Names}}", "--filter", ancestor, "--filter", "label=io.renku.powershell.check=session").EnsureSuccess("docker ps").StdOut.Trim();
        Assert.StartsWith("renku-check-", name, StringComparison.Ordinal);
        Assert.Single(Leftovers("volume", "name=" + name));
        ps.Stop();
        Assert.True(running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(60)), "the pipeline did not stop");
        Assert.Equal(PSInvocationState.Stopped, ps.InvocationStateInfo.State);

        Assert.Empty(Leftovers("container", ancestor));
        Assert.Empty(Leftovers("volume", "name=" + name));
    }
}
