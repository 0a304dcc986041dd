using System.Text.Json.Nodes;

using k8s.Models;

using Renku.PowerShell.Compliance;
using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Sessions;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

/// <summary>Job checks in the fake cluster: a pod run once to completion, Succeeded or Failed with its exit code and last lines, deleted in every case.</summary>
public class ClusterJobCheckTests
{
    private static readonly SessionSettings Settings = new()
    {
        Port = 8888,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        Command = new[] { "python" },
        Args = new[] { "train.py" },
    };

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static SessionCheckRequest Job(double seconds = 20) => new()
    {
        Image = "ghcr.io/example/training-job:1.0",
        Settings = Settings,
        Kind = SessionKind.Job,
        ReadinessDeadline = TimeSpan.FromSeconds(seconds),
    };

    private static ClusterCheckOptions Options(FakeCluster cluster, Action<string>? progress = null) => new() { Target = cluster.Target, Progress = progress };

    private static string PodName(SessionCheck check) => check.ContainerName!.Split('/')[1];

    [Fact]
    public void TheJobPodRunsOnceWithJobVariablesNoProbeAndNoPort()
    {
        V1Pod pod = SessionPodBuilder.Build(Job(), Job().LayoutFor(null), "renku-check-job", "renku");
        V1Container container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("Never", pod.Spec.RestartPolicy);
        Assert.Null(container.ReadinessProbe);
        Assert.Null(container.LivenessProbe);
        Assert.True(container.Ports is null || container.Ports.Count == 0);
        Assert.Equal(new[] { "python" }, container.Command);
        Assert.Equal(1000, container.SecurityContext.RunAsUser);
        Assert.Equal(1000, pod.Spec.SecurityContext.FsGroup);
        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("1", env["RENKU_JOB"]);
        Assert.False(string.IsNullOrEmpty(env["RENKU_SUBMISSION_ID"]));
        Assert.DoesNotContain(env.Keys, k => k.StartsWith("RENKU_SESSION", StringComparison.Ordinal) || k.StartsWith("RENKU_BASE_URL", StringComparison.Ordinal));
        Assert.Equal("/home/renku/work", Assert.Single(container.VolumeMounts).MountPath);
        Assert.Equal("job-check", pod.Metadata.Labels[SessionPodBuilder.PurposeLabel]);
    }

    [Fact]
    public async Task AJobThatExitsZeroSucceedsAndThePodIsDeleted()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Job(), Options(cluster), Timeout);

        Assert.Equal(SessionKind.Job, result.Kind);
        Assert.Equal(SessionOutcome.Succeeded, result.Outcome);
        Assert.Equal(0, result.ExitCode);
        Assert.True(result.Started);
        Assert.False(result.Ready);
        Assert.Null(result.Url);
        Assert.Empty(result.LogTail);
        Assert.True(result.CleanedUp);
        Assert.Empty(cluster.Server.ContractViolations);
        JsonObject created = Assert.Single(cluster.Server.CreatedPods);
        Assert.Contains(created["spec"]!["containers"]![0]!["env"]!.AsArray(), e => e!["name"]!.GetValue<string>() == "RENKU_SUBMISSION_ID" && e["value"]!.GetValue<string>() == result.SubmissionId);
        Assert.Equal(new[] { PodName(result) }, cluster.Server.DeletedPods);
        Assert.DoesNotContain(cluster.Server.Requests, r => r.Path.Contains("/proxy/", StringComparison.Ordinal));

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings, Kind = SessionKind.Job, Session = result });
        Assert.Equal(ComplianceOutcome.Pass, report.Results.Single(r => r.RuleId == "RKS007").Outcome);
    }

    [Fact]
    public async Task AJobThatExitsThreeFailsWithItsExitCodeAndLastLines()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.JobScenario = PodScenario.JobFails(3, null, null, "step 2 of 3", "export API_TOKEN=abcdef123456", "fatal: no such file: /data/input.csv");
        SessionCheck result = await ClusterSessionCheck.RunAsync(Job(), Options(cluster), Timeout);

        Assert.Equal(SessionOutcome.Failed, result.Outcome);
        Assert.Equal(3, result.ExitCode);
        Assert.Equal("Error", result.Reason);
        Assert.Equal("fatal: no such file: /data/input.csv", result.LogTail[^1]);
        Assert.DoesNotContain(result.LogTail, l => l.Contains("abcdef123456", StringComparison.Ordinal));
        Assert.True(result.CleanedUp);
        Assert.Single(cluster.Server.DeletedPods);

        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Settings = Settings, Kind = SessionKind.Job, Session = result });
        ComplianceResult rule = report.Results.Single(r => r.RuleId == "RKS007");
        Assert.Equal(ComplianceOutcome.Fail, rule.Outcome);
        Assert.Contains("code 3", rule.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AJobKilledForItsMemoryIsSaidSo()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.JobScenario = PodScenario.JobFails(137, "OOMKilled");
        SessionCheck result = await ClusterSessionCheck.RunAsync(Job(), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.Failed, result.Outcome);
        Assert.Equal("OOMKilled", result.Reason);
        Assert.Equal(137, result.ExitCode);
        Assert.Contains("out of memory", result.Message, StringComparison.Ordinal);
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task AJobStillRunningAtTheTimeoutTimesOutAndIsDeleted()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.JobScenario = PodScenario.JobRunsOn(TimeSpan.Zero);
        var progress = new List<string>();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Job(1.5), Options(cluster, line => { lock (progress) { progress.Add(line); } }), Timeout);
        Assert.Equal(SessionOutcome.TimedOut, result.Outcome);
        Assert.Equal("DeadlineExceeded", result.Reason);
        Assert.True(result.Started);
        Assert.Contains("job: waiting for more input", result.LogTail);
        Assert.True(result.CleanedUp);
        Assert.Single(cluster.Server.DeletedPods);

        // A job's pod has no readiness probe: while it runs, the check waits for the command to end.
        string[] seen;
        lock (progress)
        {
            seen = progress.ToArray();
        }

        Assert.Contains(seen, line => line.EndsWith("running, waiting for the command to end", StringComparison.Ordinal));
        Assert.DoesNotContain(seen, line => line.Contains("probe", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task AJobWhoseImageCannotBePulledIsReported()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.JobScenario = PodScenario.ImagePullBackOff();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Job(), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.ImagePullFailed, result.Outcome);
        Assert.False(result.Started);
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public void TheFakeClusterRefusesAJobPodThatCarriesSessionVariablesOrAProbe()
    {
        var interactive = SessionPodBuilder.Build(Job(), Job().LayoutFor(null), "renku-check-x", "renku");
        interactive.Spec.Containers[0].Env.Add(new V1EnvVar { Name = "RENKU_SESSION_PORT", Value = "8888" });
        interactive.Spec.Containers[0].ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = 8888 } };
        interactive.Spec.RestartPolicy = "Always";
        var problems = PodSpecContract.Check(JsonNode.Parse(k8s.KubernetesJson.Serialize(interactive))!.AsObject());
        Assert.Contains(problems, p => p.Message.Contains("RENKU_SESSION_PORT", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field.EndsWith("readinessProbe", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "spec.restartPolicy");
    }
}
