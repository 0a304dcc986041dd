using Renku.PowerShell.Docker;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Sessions.Docker;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>Session checks against a real Docker engine with busybox session images.</summary>
public class DockerSessionRunnerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(12);

    private static SessionSettings Settings(int? port = null) => new()
    {
        Name = "test",
        Port = port ?? FreePort.NextPair(),
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
    };

    private static async Task<SessionCheck> RunAsync(string image, SessionSettings settings, CancellationToken cancellationToken = default)
    {
        string host = DockerDaemon.Require();
        var runner = new DockerSessionRunner(host);
        return await runner.RunAsync(
            new SessionCheckRequest { Image = image, Settings = settings, Probe = SessionCheckRequest.ProbeFor(Deadline), ReadinessDeadline = Deadline },
            progress: null,
            cancellationToken);
    }

    [SkippableFact]
    public async Task ACompliantImageBecomesReadyAnswersAndCanWrite()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.Compliant, Settings());
        Assert.True(check.Started, check.StartError);
        Assert.True(check.Ready, string.Join(" | ", check.LogTail));
        Assert.Equal(200, check.HttpStatus);
        Assert.EndsWith(SessionTestImages.BasePath + "/", check.Url, StringComparison.Ordinal);
        Assert.True(check.StayedUp);
        Assert.True(check.MountWritable, check.WriteCheckError);
        Assert.True(check.HomeWritable, check.WriteCheckError);
        Assert.Equal("/home/renku", check.Home);
        Assert.Equal("1000:1000", check.User);
        Assert.Contains(check.Environment, e => e == "RENKU_SESSION_PORT=" + check.Port);
        Assert.Contains(check.Environment, e => e == "CNB_APP_DIR=/home/renku/work");
        Assert.Contains(check.Environment, e => e == "RENKU_SECRETS_PATH=/secrets");
        Assert.Contains(check.Environment, e => e == "RENKU_PROJECT_PATH=renku-check/session-check");
        Assert.True(check.TimeToReady >= check.Probe.FastestReady, $"ready after {check.TimeToReady}, faster than the probe allows ({check.Probe.FastestReady})");
        Assert.True(check.CleanedUp);
        Assert.StartsWith("renku-check-", check.Network, StringComparison.Ordinal);
        Assert.Equal("container address", check.ProbeRoute);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(check.Port), Session = check });
        Assert.All(report.Results.Where(r => r.Category == "Session"), r => Assert.Equal(ComplianceOutcome.Pass, r.Outcome));
    }

    [SkippableFact]
    public async Task AServerOnTheWrongPortNeverBecomesReady()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.WrongPort, Settings());
        Assert.True(check.Started);
        Assert.False(check.Ready);
        Assert.Null(check.FirstConnect);
        Assert.True(check.ProbeFailures >= 3);
        Assert.True(check.StayedUp);
        Assert.True(check.CleanedUp);
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Session = check });
        Assert.Equal(ComplianceOutcome.Fail, report.Results.Single(r => r.RuleId == "RKS002").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, report.Results.Single(r => r.RuleId == "RKS001").Outcome);
    }

    [SkippableFact]
    public async Task ACrashingServerIsReportedWithItsExitCodeAndLog()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.Crashes, Settings());
        Assert.True(check.Started);
        Assert.True(check.Exited);
        Assert.Equal(3, check.ExitCode);
        Assert.False(check.Ready);
        Assert.Contains(check.LogTail, l => l.Contains("fatal: no config found", StringComparison.Ordinal));
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Session = check });
        ComplianceResult staysUp = report.Results.Single(r => r.RuleId == "RKS001");
        Assert.Equal(ComplianceOutcome.Fail, staysUp.Outcome);
        Assert.Contains("fatal: no config found", staysUp.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A404AtTheDefaultUrlFails()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.NotFoundAtDefaultUrl, Settings());
        Assert.True(check.Ready);
        Assert.Equal(404, check.HttpStatus);
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Session = check });
        Assert.Equal(ComplianceOutcome.Fail, report.Results.Single(r => r.RuleId == "RKS003").Outcome);
    }

    [SkippableFact]
    public async Task AHomeTheUserCannotWriteIsReported()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.ReadOnlyHome, Settings());
        Assert.True(check.Ready);
        Assert.False(check.HomeWritable);
        Assert.True(check.MountWritable);
    }

    [SkippableFact]
    public async Task AMissingImageIsAStartErrorNotAnException()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync("127.0.0.1:1/nothing/here:1", Settings());
        Assert.False(check.Started);
        Assert.NotNull(check.StartError);
    }

    [SkippableFact]
    public async Task CancellationStillRemovesTheContainerAndVolume()
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.WrongPort;
        var ledger = new Renku.PowerShell.Cleanup.CleanupLedger();
        using var cancel = new CancellationTokenSource();
        var probing = new FirstReport("Probe ");
        Task<SessionCheck> check = new DockerSessionRunner(host).RunAsync(
            new SessionCheckRequest { Image = image, Settings = Settings(), Probe = SessionCheckRequest.ProbeFor(Deadline), ReadinessDeadline = Deadline, Ledger = ledger },
            probing,
            cancel.Token);

        // Stopped while the session runs and is probed, however long a loaded engine takes to get
        // there. This check's own container and volume (other tests may run checks on the same engine).
        Assert.True(await Task.WhenAny(probing.Seen, check, Task.Delay(TimeSpan.FromSeconds(60))) == probing.Seen, "the session was never probed");
        string[] names = ledger.Outstanding.Select(entry => entry.Split(' ')[2]).ToArray();
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
        Assert.Equal(3, names.Length);
        Assert.Empty(ledger.Outstanding);
        AssertGone(names);
    }

    /// <summary>Progress that completes <see cref="Seen"/> at the first report starting with a prefix, on the reporting thread.</summary>
    private sealed class FirstReport(string prefix) : IProgress<string>
    {
        private readonly TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Seen => seen.Task;

        public void Report(string value)
        {
            if (value.StartsWith(prefix, StringComparison.Ordinal))
            {
                seen.TrySetResult();
            }
        }
    }

    private static void AssertGone(IEnumerable<string> names)
    {
        foreach (string name in names)
        {
            string containers = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "-a", "-q", "--filter", "name=^/" + name + "$").EnsureSuccess("docker ps").StdOut.Trim();
            string volumes = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "volume", "ls", "-q", "--filter", "name=^" + name + "$").EnsureSuccess("docker volume ls").StdOut.Trim();
            string networks = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "network", "ls", "-q", "--filter", "name=^" + name + "$").EnsureSuccess("docker network ls").StdOut.Trim();
            Assert.True(containers.Length == 0, $"container {name} is left");
            Assert.True(volumes.Length == 0, $"volume {name} is left");
            Assert.True(networks.Length == 0, $"network {name} is left");
        }
    }

    /// <summary>
    /// A stop that lands while the engine is creating the volume, or the container, is still
    /// cleaned up: the engine has made the object but the client never heard its id. Both are
    /// recorded (by name) before they are asked for and removed by name.
    /// </summary>
    [SkippableTheory]
    [InlineData("/volumes/create")]
    [InlineData("/containers/create")]
    public async Task AStopWhileTheEngineCreatesLeavesNothing(string stalled)
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.WrongPort;
        using DockerStallProxy proxy = DockerStallProxy.Start(host, stalled);
        var ledger = new Renku.PowerShell.Cleanup.CleanupLedger();
        using var cancel = new CancellationTokenSource();
        Task<SessionCheck> check = new DockerSessionRunner(proxy.Host).RunAsync(
            new SessionCheckRequest { Image = image, Settings = Settings(), Probe = SessionCheckRequest.ProbeFor(Deadline), ReadinessDeadline = Deadline, Ledger = ledger },
            progress: null,
            cancel.Token);

        Assert.True(await Task.WhenAny(proxy.AnswerHeld, Task.Delay(TimeSpan.FromSeconds(60))) == proxy.AnswerHeld, $"the engine never answered {stalled}");
        string[] recorded = ledger.Outstanding.Select(entry => entry.Split(' ')[2]).ToArray();
        Assert.NotEmpty(recorded);

        // The engine has done it, the answer is held back: now stop.
        cancel.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);

        Assert.Empty(ledger.Outstanding);
        AssertGone(recorded);
    }

    [SkippableFact]
    public async Task TheImageReaderResolvesUserAndDistributionWithoutStartingIt()
    {
        string host = DockerDaemon.Require();
        ImageInfo info = await DockerImageReader.ReadAsync(SessionTestImages.Compliant, host, default);
        Assert.Equal(ImageSourceKind.Docker, info.Source);
        Assert.Equal("debian", info.OsId);
        Assert.Equal("12", info.OsVersion);
        Assert.Equal("renku", info.User!.UserName);
        Assert.Equal(1000, info.User.Uid);
        Assert.Equal(1000, info.User.Gid);
        Assert.Equal("/home/renku", info.User.Home);
        Assert.Equal("/home/renku", info.Config.WorkingDir);
        Assert.Contains(info.Files, f => f.Path == "/etc/os-release" && f.ResolvedPath == "/usr/lib/os-release");

        ImageInfo alpine = await DockerImageReader.ReadAsync(SessionTestImages.Alpine, host, default);
        Assert.Equal("alpine", alpine.OsId);
        await Assert.ThrowsAsync<DockerEngineException>(() => DockerImageReader.ReadAsync("renku-ps-test/does-not-exist:1", host, default));
    }
}
