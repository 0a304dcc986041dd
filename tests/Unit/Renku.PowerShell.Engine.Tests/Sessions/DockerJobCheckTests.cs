using System.Diagnostics;

using Renku.PowerShell.Compliance;
using Renku.PowerShell.Sessions.Docker;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Sessions;

/// <summary>Job checks against the test Docker engine with busybox job images: the command runs to completion, nothing is probed, nothing is left.</summary>
public class DockerJobCheckTests
{
    /// <summary>Exits 0 only when it runs as Renku runs a job (see <see cref="SessionTestImages.JobEnvironmentCheck"/>).</summary>
    private const string ChecksItsJobEnvironment = SessionTestImages.JobEnvironmentCheck;

    private static SessionSettings Settings(IReadOnlyList<string>? command = null) => new()
    {
        Name = "job",
        Port = 8888,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        Command = command,
    };

    private static Task<SessionCheck> RunAsync(string image, SessionSettings settings, TimeSpan timeout, IProgress<string>? progress = null, CancellationToken cancellationToken = default) =>
        new DockerSessionRunner(DockerDaemon.Require()).RunAsync(
            new SessionCheckRequest { Image = image, Settings = settings, Kind = SessionKind.Job, ReadinessDeadline = timeout, Probe = SessionCheckRequest.ProbeFor(timeout) },
            progress,
            cancellationToken);

    [SkippableFact]
    public async Task AJobThatExitsZeroPassesWithRenkusJobVariablesAndNoProbe()
    {
        DockerDaemon.Require();
        var progress = new Recorder();
        SessionCheck check = await RunAsync(SessionTestImages.Sleeps, Settings(new[] { "/bin/sh", "-c", ChecksItsJobEnvironment }), TimeSpan.FromSeconds(60), progress);

        Assert.True(check.Started, check.StartError);
        Assert.Equal(SessionOutcome.Succeeded, check.Outcome);
        Assert.Equal(0, check.ExitCode);
        Assert.Equal(SessionKind.Job, check.Kind);
        Assert.Empty(check.LogTail);
        Assert.Equal(0, check.ProbeAttempts);
        Assert.Empty(check.ProbeAddress);
        Assert.Null(check.Url);
        Assert.Contains(check.Environment, e => e == "RENKU_JOB=1");
        Assert.Contains(check.Environment, e => e == "RENKU_SUBMISSION_ID=" + check.SubmissionId);
        Assert.DoesNotContain(check.Environment, e => e.StartsWith("RENKU_SESSION", StringComparison.Ordinal) || e.StartsWith("RENKU_BASE_URL", StringComparison.Ordinal));
        Assert.Equal(new[] { "/bin/sh", "-c", ChecksItsJobEnvironment }, check.Entrypoint);
        Assert.StartsWith("renku-check-", check.Network, StringComparison.Ordinal);
        Assert.True(check.CleanedUp, check.CleanupError);
        Assert.DoesNotContain(progress.Lines, l => l.Contains("Probing", StringComparison.Ordinal));
        AssertGone(check.ContainerName!);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(check.Entrypoint), Kind = SessionKind.Job, Session = check });
        Assert.Equal(ComplianceOutcome.Pass, report.Results.Single(r => r.RuleId == "RKS007").Outcome);
        Assert.True(report.Passed, string.Join("; ", report.Failures.Select(f => f.RuleId + " " + f.Message)));
    }

    [SkippableFact]
    public async Task AJobThatExitsThreeFailsWithItsExitCodeAndLastLinesWithoutCredentials()
    {
        DockerDaemon.Require();
        string image = SessionTestImages.Build("job-exit3", SessionTestImages.JobFailsRecipe);
        SessionCheck check = await RunAsync(image, Settings(), TimeSpan.FromSeconds(60));

        Assert.Equal(SessionOutcome.Failed, check.Outcome);
        Assert.Equal(3, check.ExitCode);
        Assert.True(check.Exited);
        Assert.Contains("step 2 of 3", check.LogTail);
        Assert.Contains("fatal: no such file: /data/input.csv", check.LogTail);
        Assert.DoesNotContain(check.LogTail, l => l.Contains("abc123verysecret", StringComparison.Ordinal));
        Assert.Contains("using RENKU_TOKEN=" + OutputTail.Mask, check.LogTail);
        Assert.True(check.CleanedUp, check.CleanupError);
        AssertGone(check.ContainerName!);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(), Kind = SessionKind.Job, Session = check });
        ComplianceResult rule = report.Results.Single(r => r.RuleId == "RKS007");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Contains("code 3", rule.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: no such file", rule.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc123verysecret", rule.Evidence, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AJobStillRunningAtTheTimeoutFailsAsATimeoutAndIsRemoved()
    {
        DockerDaemon.Require();
        var clock = Stopwatch.StartNew();
        SessionCheck check = await RunAsync(SessionTestImages.Sleeps, Settings(), TimeSpan.FromSeconds(3));
        clock.Stop();

        Assert.Equal(SessionOutcome.TimedOut, check.Outcome);
        Assert.True(check.Started);
        Assert.Null(check.ExitCode);
        Assert.True(check.StayedUp);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(45), $"took {clock.Elapsed}");
        Assert.True(check.CleanedUp, check.CleanupError);
        AssertGone(check.ContainerName!);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(), Kind = SessionKind.Job, Session = check });
        Assert.Contains("still running after 3", report.Results.Single(r => r.RuleId == "RKS007").Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AJobWhoseImageCannotBeHadFailsWithoutStarting()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync("127.0.0.1:9/renku-ps-test/missing-job:1", Settings(), TimeSpan.FromSeconds(20));
        Assert.Equal(SessionOutcome.ImagePullFailed, check.Outcome);
        Assert.False(check.Started);
        Assert.NotNull(check.StartError);
    }

    [SkippableFact]
    public async Task AJobWhoseCommandCannotStartFailsWithTheEnginesWordsAndLeavesNothing()
    {
        DockerDaemon.Require();
        SessionCheck check = await RunAsync(SessionTestImages.Sleeps, Settings(new[] { "/no/such/command" }), TimeSpan.FromSeconds(30));
        Assert.Equal(SessionOutcome.ContainerError, check.Outcome);
        Assert.False(check.Started);
        Assert.Contains("/no/such/command", check.StartError, StringComparison.Ordinal);
        Assert.True(check.CleanedUp, check.CleanupError);
        AssertGone(check.ContainerName!);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(check.Entrypoint), Kind = SessionKind.Job, Session = check });
        ComplianceResult rule = report.Results.Single(r => r.RuleId == "RKS007");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Contains("could not be started", rule.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AStoppedJobCheckLeavesNothing()
    {
        DockerDaemon.Require();
        var progress = new Recorder();
        using var stop = new CancellationTokenSource();
        Task<SessionCheck> running = RunAsync(SessionTestImages.Sleeps, Settings(), TimeSpan.FromMinutes(2), progress, stop.Token);
        await progress.WaitForAsync("Running ", TimeSpan.FromSeconds(60));
        await Task.Delay(500);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        string name = progress.Container ?? throw new Xunit.Sdk.XunitException("no container name seen");
        AssertGone(name);
    }

    [Fact]
    public void AJobTheEngineKilledForItsMemoryIsAFailureNamedOOMKilled()
    {
        var running = new SessionCheck { Kind = SessionKind.Job, Started = true, LogTail = new[] { "allocating 8 GiB" } };
        SessionCheck killed = DockerSessionRunner.Ended(running, 137, outOfMemory: true, engineError: null, TimeSpan.FromSeconds(4));
        Assert.Equal(SessionOutcome.Failed, killed.Outcome);
        Assert.Equal("OOMKilled", killed.Reason);
        Assert.Equal(137, killed.ExitCode);
        Assert.Contains("out of memory", killed.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "allocating 8 GiB" }, killed.LogTail);

        // Even an exit code of 0 is a failure when the engine says it killed the process for its memory.
        Assert.Equal(SessionOutcome.Failed, DockerSessionRunner.Ended(running, 0, outOfMemory: true, null, TimeSpan.Zero).Outcome);
        SessionCheck done = DockerSessionRunner.Ended(running, 0, outOfMemory: false, null, TimeSpan.FromSeconds(1));
        Assert.Equal(SessionOutcome.Succeeded, done.Outcome);
        Assert.Empty(done.LogTail);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings(), Kind = SessionKind.Job, Session = killed });
        Assert.Contains("more memory", report.Results.Single(r => r.RuleId == "RKS007").Message, StringComparison.Ordinal);
    }

    private static void AssertGone(string name)
    {
        string containers = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "-a", "-q", "--filter", "name=^/" + name + "$").EnsureSuccess("docker ps").StdOut.Trim();
        string volumes = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "volume", "ls", "-q", "--filter", "name=^" + name + "$").EnsureSuccess("docker volume ls").StdOut.Trim();
        string networks = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "network", "ls", "-q", "--filter", "name=^" + name + "$").EnsureSuccess("docker network ls").StdOut.Trim();
        Assert.True(containers.Length == 0, $"container {name} is left");
        Assert.True(volumes.Length == 0, $"volume {name} is left");
        Assert.True(networks.Length == 0, $"network {name} is left");
    }

    private sealed class Recorder : IProgress<string>
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> lines = new();
        private readonly TaskCompletionSource<string> running = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public IEnumerable<string> Lines => lines;

        /// <summary>The check's container, read from the engine once the job runs.</summary>
        public string? Container { get; private set; }

        public void Report(string value)
        {
            lines.Enqueue(value);
            if (value.StartsWith("Running ", StringComparison.Ordinal))
            {
                running.TrySetResult(value);
            }
        }

        public async Task WaitForAsync(string prefix, TimeSpan timeout)
        {
            await running.Task.WaitAsync(timeout);
            for (int i = 0; i < 100 && Container is null; i++)
            {
                string found = DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "-q", "--no-trunc", "--filter", "label=io.renku.powershell.check=job", "--format", "{{.Names}}").EnsureSuccess("docker ps").StdOut.Trim();
                Container = found.Split('\n', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
                if (Container is null)
                {
                    await Task.Delay(100);
                }
            }
        }
    }
}
