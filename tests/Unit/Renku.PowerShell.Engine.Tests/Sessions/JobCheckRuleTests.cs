using Renku.PowerShell.Compliance;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Sessions;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Sessions;

/// <summary>How a job is told from a session, the variables it gets, and how the rules judge it (no engine needed).</summary>
public class JobCheckRuleTests
{
    private static readonly SessionSettings JobSettings = new()
    {
        Name = "training",
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        Command = new[] { "python" },
        Args = new[] { "train.py" },
    };

    private static LaunchPlatform Launch(string name, string? type) => new() { LauncherId = "01JLAUNCHER" + name.Length.ToString("D15", System.Globalization.CultureInfo.InvariantCulture), LauncherName = name, LauncherType = type };

    private static ComplianceResult Rule(ComplianceReport report, string id) => report.Results.Single(r => r.RuleId == id);

    private static SessionCheck JobCheck(SessionOutcome outcome, long? exitCode = null, string? reason = null, params string[] tail) => new()
    {
        Runtime = "Docker",
        Kind = SessionKind.Job,
        Image = "example.org/job:1",
        User = "1000:1000",
        MountDirectory = "/home/renku/work",
        ReadinessDeadline = TimeSpan.FromSeconds(30),
        Started = outcome is not (SessionOutcome.ImagePullFailed or SessionOutcome.ContainerError),
        Outcome = outcome,
        ExitCode = exitCode,
        Exited = exitCode is not null,
        Reason = reason,
        LogTail = tail,
    };

    [Theory]
    [InlineData("non-interactive", true)]
    [InlineData("non_interactive", true)]
    [InlineData("Non-Interactive", true)]
    [InlineData("interactive", false)]
    [InlineData("app", false)]
    [InlineData(null, false)]
    public void TellsNonInteractiveLaunchersInEverySpelling(string? type, bool job)
    {
        Assert.Equal(job, SessionKinds.IsNonInteractive(type));
        Assert.Equal(job ? SessionKind.Job : SessionKind.Interactive, SessionKinds.Decide(null, new[] { "interactive", type }));
    }

    [Fact]
    public void AKindAskedForWinsOverTheLaunchers()
    {
        Assert.Equal(SessionKind.Interactive, SessionKinds.Decide(SessionKind.Interactive, new[] { "non-interactive" }));
        Assert.Equal(SessionKind.Job, SessionKinds.Decide(SessionKind.Job, null));
        Assert.Equal(SessionKind.Interactive, SessionKinds.Decide(null, null));
    }

    [Fact]
    public void AJobGetsRenkusJobVariablesAndNoneOfASessions()
    {
        SessionLayout layout = JobSettings.ResolveLayout(null);
        string submission = SessionKinds.NewSubmissionId();
        var variables = SessionVariables.ForJob(layout, submission, "01JPROJECT0000000000000000", "01JLAUNCHER000000000000000").ToDictionary(v => v.Key, v => v.Value);

        Assert.True(EnvironmentValidator.IsUlid(submission), submission);
        Assert.Equal("1", variables["RENKU_JOB"]);
        Assert.Equal(submission, variables["RENKU_SUBMISSION_ID"]);
        Assert.Equal("/secrets", variables["RENKU_SECRETS_PATH"]);
        Assert.Equal(SessionVariables.CheckProjectPath, variables["RENKU_PROJECT_PATH"]);
        Assert.Equal("/home/renku/work", variables["RENKU_MOUNT_DIR"]);
        Assert.Equal("/home/renku/work", variables["RENKU_WORKING_DIR"]);
        Assert.Equal("01JLAUNCHER000000000000000", variables["RENKU_LAUNCHER_ID"]);
        foreach (string session in new[] { "RENKU_SESSION", "RENKU_SESSION_IP", "RENKU_SESSION_PORT", "RENKU_BASE_URL_PATH", "RENKU_BASE_URL" })
        {
            Assert.False(variables.ContainsKey(session), session + " is set in a job");
        }

        // And a session's variables hold every one Renku sets, the secrets and project path included.
        var sessionVariables = SessionVariables.For(JobSettings, layout, "/sessions/x", "http://127.0.0.1:8888/sessions/x").Select(v => v.Key).ToList();
        Assert.Contains("RENKU_SECRETS_PATH", sessionVariables);
        Assert.Contains("RENKU_PROJECT_PATH", sessionVariables);
        Assert.DoesNotContain("RENKU_JOB", sessionVariables);
    }

    [Fact]
    public void AJobEnvironmentWithoutACommandIsAStaticFindingNamingItsLaunchers()
    {
        var settings = new SessionSettings { Name = "no command", WorkingDirectory = "/home/renku/work", MountDirectory = "/home/renku/work" };
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Settings = settings,
            Kind = SessionKind.Job,
            Launches = new[] { Launch("Nightly training", "non-interactive"), Launch("Notebook", "interactive") },
        });

        ComplianceResult rule = Rule(report, "RKS006");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Equal("Job", rule.Category);
        Assert.Contains("'Nightly training'", rule.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Notebook", rule.Message, StringComparison.Ordinal);
        Assert.Contains("requires", rule.Message, StringComparison.Ordinal);
        Assert.Equal(SessionKind.Job, report.SessionKind);

        ComplianceReport withCommand = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = JobSettings, Kind = SessionKind.Job });
        Assert.Equal(ComplianceOutcome.Pass, Rule(withCommand, "RKS006").Outcome);
        Assert.Contains("python train.py", Rule(withCommand, "RKS006").Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceOutcome.Pass, Rule(withCommand, "RKC011").Outcome);
        Assert.Equal(ComplianceOutcome.Skip, Rule(withCommand, "RKS007").Outcome);
    }

    [Fact]
    public void AnInteractiveCheckSkipsTheJobRulesAndAJobSkipsTheSessionRules()
    {
        ComplianceReport interactive = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = JobSettings });
        Assert.Equal(SessionKind.Interactive, interactive.SessionKind);
        Assert.All(interactive.Results.Where(r => r.Category == "Job"), r => Assert.Equal(ComplianceOutcome.Skip, r.Outcome));

        ComplianceReport job = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = JobSettings, Kind = SessionKind.Job, Session = JobCheck(SessionOutcome.Succeeded, 0) });
        Assert.All(job.Results.Where(r => r.Category == "Session"), r =>
        {
            Assert.Equal(ComplianceOutcome.Skip, r.Outcome);
            Assert.Contains("job", r.Message, StringComparison.OrdinalIgnoreCase);
        });
        Assert.Equal(ComplianceOutcome.Pass, Rule(job, "RKS007").Outcome);
        Assert.True(job.Passed);
    }

    [Fact]
    public void AFailedJobCarriesItsExitCodeAndLastLines()
    {
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Settings = JobSettings,
            Kind = SessionKind.Job,
            Session = JobCheck(SessionOutcome.Failed, 3, "Error", "step 2 of 3", "fatal: no such file: /data/input.csv"),
        });
        ComplianceResult rule = Rule(report, "RKS007");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Contains("exited with code 3", rule.Message, StringComparison.Ordinal);
        Assert.Contains("fatal: no such file: /data/input.csv", rule.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 3", rule.Evidence, StringComparison.Ordinal);
        Assert.False(report.Passed);
    }

    [Theory]
    [InlineData(SessionOutcome.TimedOut, null, null, "still running after 30")]
    [InlineData(SessionOutcome.Failed, 137L, "OOMKilled", "more memory")]
    [InlineData(SessionOutcome.ImagePullFailed, null, null, "could not be pulled")]
    [InlineData(SessionOutcome.ContainerError, null, null, "could not be started")]
    public void EveryWayAJobFailsIsSaid(SessionOutcome outcome, long? exitCode, string? reason, string said)
    {
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = JobSettings, Kind = SessionKind.Job, Session = JobCheck(outcome, exitCode, reason, "last words") });
        ComplianceResult rule = Rule(report, "RKS007");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Contains(said, rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIfSaysAJobIsRunWithoutAPort()
    {
        string plan = Renku.PowerShell.Sessions.Docker.DockerSessionPlan.Describe("example.org/job:1", JobSettings, "unix:///tmp/engine.sock", TimeSpan.FromMinutes(10), SessionKind.Job);
        Assert.StartsWith("Running example.org/job:1 as a Renku job", plan, StringComparison.Ordinal);
        Assert.Contains("RENKU_JOB=1", plan, StringComparison.Ordinal);
        Assert.Contains("command python", plan, StringComparison.Ordinal);
        Assert.Contains("up to 600 s for its command to exit", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("port", plan, StringComparison.Ordinal);
        Assert.DoesNotContain("default URL", plan, StringComparison.Ordinal);
    }

    [Fact]
    public void TheJobCheckShowsItsKindAndExitInOneLine()
    {
        Assert.Equal("Docker job example.org/job:1: exited 3 (Error)", JobCheck(SessionOutcome.Failed, 3, "Error").ToString());
        Assert.Equal("Docker job example.org/job:1: exited 0", JobCheck(SessionOutcome.Succeeded, 0, "Completed").ToString());
        Assert.StartsWith("Docker job example.org/job:1: still running", JobCheck(SessionOutcome.TimedOut).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRunnerJudgesAnEnvironmentOfANonInteractiveLauncherAsAJob()
    {
        using var inspector = new ImageInspector();
        var runner = new ComplianceRunner(inspector);
        ComplianceReport report = await runner.CheckAsync(
            new ComplianceJob { Source = ComplianceImageSource.None, Settings = new SessionSettings { Name = "jobs" }, Launches = new[] { Launch("Nightly", "non_interactive") } },
            null,
            CancellationToken.None);
        Assert.Equal(SessionKind.Job, report.SessionKind);
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKS006").Outcome);

        ComplianceReport asked = await runner.CheckAsync(
            new ComplianceJob { Source = ComplianceImageSource.None, Settings = JobSettings, Kind = SessionKind.Interactive, Launches = new[] { Launch("Nightly", "non-interactive") } },
            null,
            CancellationToken.None);
        Assert.Equal(SessionKind.Interactive, asked.SessionKind);
    }

    [Theory]
    [InlineData("Authorization: Bearer abcdefghijklmnop0123", "Bearer abcdefghijklmnop0123")]
    [InlineData("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJl here", "eyJhbGciOiJIUzI1NiJ9")]
    [InlineData("RENKU_ACCESS_TOKEN=s3cr3t-value", "s3cr3t-value")]
    [InlineData("db password: hunter22", "hunter22")]
    [InlineData("pushing with --registry-password p4ss now", "p4ss")]
    [InlineData("cloning https://user:p4ssw0rd@git.example.org/repo.git", "p4ssw0rd")]
    [InlineData("api_key = \"AKIA0123456789\"", "AKIA0123456789")]
    public void OutputTailsNeverShowCredentials(string line, string secret)
    {
        string scrubbed = Assert.Single(OutputTail.Of(new[] { line }));
        Assert.DoesNotContain(secret, scrubbed, StringComparison.Ordinal);
        Assert.Contains(OutputTail.Mask, scrubbed, StringComparison.Ordinal);
    }

    [Fact]
    public void OutputTailsAreBounded()
    {
        IReadOnlyList<string> tail = OutputTail.Of(Enumerable.Range(1, 500).Select(i => $"line {i}").Append(new string('x', 5000)).Append(string.Empty));
        Assert.Equal(OutputTail.MaxLines, tail.Count);
        Assert.Equal("line 482", tail[0]);
        Assert.Equal(OutputTail.MaxLineLength, tail[^1].Length);
        Assert.Equal("fatal: no config found", Assert.Single(OutputTail.Of(new[] { "fatal: no config found" })));
        Assert.Equal("an invalid token format was given", Assert.Single(OutputTail.Of(new[] { "an invalid token format was given" })));

        // A job may print anything: a megabyte on one line is cut before it is searched.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        string huge = Assert.Single(OutputTail.Of(new[] { new string('x', 1_000_000) + "tokenx=secret" }));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Equal(OutputTail.MaxLineLength, huge.Length);
    }
}
