using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.TestSupport;
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
        string image = SessionTestImages.WrongPortForStopTests;
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
            .AddParameter("Port", FreePort.NextPair())
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

    /// <summary>
    /// A downstream command that stops the pipeline (Select-Object -First, in real pwsh) stops the
    /// checks still in flight, and their containers and volumes are gone when the pipeline returns:
    /// the very next statement finds none.
    /// </summary>
    [SkippableFact]
    public void SelectObjectFirstDownstreamRemovesTheSessionsStillRunning()
    {
        string host = DockerDaemon.Require();
        string docker = Requires.Executable("docker", "docker.io");
        string ready = SessionTestImages.Compliant;
        string never = SessionTestImages.WrongPortForStopTests;
        Assert.Empty(Leftovers("container", "ancestor=" + never));

        string log = Path.Combine(Path.GetTempPath(), "renku-first-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        string script = $@"Import-Module '{ModuleHost.Manifest}'
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $first = Test-RenkuImageCompliance '{ready}', '{never}' -Source Docker -DockerHost '{host}' -Runtime Docker -Port {FreePort.NextPair()} -ProbeTimeout 120 | Select-Object -First 1
            $left = @(& '{docker}' -H '{host}' ps -a -q --filter label=io.renku.powershell.check=session --filter ancestor='{never}')
            'IMAGE=' + $first.Image
            'SECONDS=' + [int]$clock.Elapsed.TotalSeconds
            'LEFT=' + ($left | Where-Object {{ $_ }}).Count";
        using System.Diagnostics.Process pwsh = RealPwsh.Start(script, log);
        try
        {
            Assert.True(pwsh.WaitForExit(TimeSpan.FromMinutes(3)), "pwsh did not finish");
            string output = File.ReadAllText(log);
            Assert.True(pwsh.ExitCode == 0, output);
            Assert.Contains("IMAGE=docker.io/" + ready, output, StringComparison.Ordinal);
            Assert.Contains("LEFT=0", output, StringComparison.Ordinal);
            int seconds = int.Parse(output.Split('\n').Single(l => l.StartsWith("SECONDS=", StringComparison.Ordinal))["SECONDS=".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(seconds < 100, $"the pipeline waited for the never-ready check ({seconds} s)");
        }
        finally
        {
            if (!pwsh.HasExited)
            {
                pwsh.Kill(entireProcessTree: true);
            }

            File.Delete(log);
        }
    }

    /// <summary>SIGTERM (what CI systems and timeout send) cleans up in real pwsh as Ctrl+C does.</summary>
    [SkippableFact]
    public void SigtermToPwshRemovesTheSessionBeforeTheProcessEnds()
    {
        if (OperatingSystem.IsWindows())
        {
            throw new Xunit.SkipException("SIGTERM is a POSIX signal.");
        }

        string host = DockerDaemon.Require();
        string image = SessionTestImages.WrongPortForStopTests;
        string ancestor = "ancestor=" + image;
        Assert.Empty(Leftovers("container", ancestor));

        string log = Path.Combine(Path.GetTempPath(), "renku-sigterm-" + Guid.NewGuid().ToString("N")[..8] + ".log");
        string script = $"Import-Module '{ModuleHost.Manifest}'; Test-RenkuImageCompliance '{image}' -Source Docker -DockerHost '{host}' -Runtime Docker -Port {FreePort.NextPair()} -ProbeTimeout 120";
        using System.Diagnostics.Process pwsh = RealPwsh.Start(script, log);
        try
        {
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
            while (Leftovers("container", ancestor).Length == 0 && DateTime.UtcNow < deadline && !pwsh.HasExited)
            {
                Thread.Sleep(200);
            }

            string name = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "-a", "--format", "{{.Names}}", "--filter", ancestor, "--filter", "label=io.renku.powershell.check=session").EnsureSuccess("docker ps").StdOut.Trim();
            Assert.True(name.StartsWith("renku-check-", StringComparison.Ordinal), "the session container never appeared: " + (File.Exists(log) ? File.ReadAllText(log) : string.Empty));

            ProcessRunner.Run("kill", new[] { "-TERM", pwsh.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) }, TimeSpan.FromSeconds(10)).EnsureSuccess("kill -TERM");
            Assert.True(pwsh.WaitForExit(TimeSpan.FromSeconds(30)), "pwsh did not end after SIGTERM");

            // SIGTERM's usual exit code (128 + 15), not a crash.
            Assert.Equal(143, pwsh.ExitCode);
            Assert.Empty(Leftovers("container", ancestor));
            Assert.Empty(Leftovers("volume", "name=" + name));
        }
        finally
        {
            if (!pwsh.HasExited)
            {
                pwsh.Kill(entireProcessTree: true);
            }

            File.Delete(log);
        }
    }
}
