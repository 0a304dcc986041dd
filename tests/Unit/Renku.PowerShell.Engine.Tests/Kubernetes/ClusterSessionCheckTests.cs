using System.Collections.Concurrent;

using Renku.PowerShell.FakeKubernetes;

using Xunit;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class ClusterSessionCheckTests
{
    private static readonly SessionContainerSpec Spec = new()
    {
        Image = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3",
        Port = 8888,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        DefaultUrl = "/lab",
    };

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static ClusterCheckOptions Options(FakeCluster cluster, double probeSeconds = 20, ConcurrentQueue<string>? progress = null) => new()
    {
        Target = cluster.Target,
        ProbeTimeout = TimeSpan.FromSeconds(probeSeconds),
        Progress = progress is null ? null : progress.Enqueue,
    };

    [Fact]
    public async Task AnImageThatServesOnThePortIsReadyAndThePodIsDeleted()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        var progress = new ConcurrentQueue<string>();
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster, progress: progress), Timeout);

        Assert.Equal(ClusterCheckOutcome.Ready, result.Outcome);
        Assert.True(result.Passed);
        Assert.NotNull(result.ReadyAfter);
        Assert.NotNull(result.ScheduledAfter);
        Assert.NotNull(result.StartedAfter);
        Assert.True(result.ScheduledAfter <= result.StartedAfter && result.StartedAfter <= result.ReadyAfter);
        Assert.True(result.PodDeleted);
        Assert.Contains(result.Events, e => e.Reason == "Started");
        Assert.Contains(result.LogLines, l => l.Contains("Jupyter Server is running", StringComparison.Ordinal));

        Assert.Empty(cluster.Server.ContractViolations);
        var created = Assert.Single(cluster.Server.CreatedPods);
        Assert.Equal(result.Plan.PodName, ObjectStore.Name(created));
        Assert.Equal(new[] { result.Plan.PodName }, cluster.Server.DeletedPods);
        Assert.Null(cluster.Server.Store.Get("pods", "renku", result.Plan.PodName));
        Assert.Contains(progress, p => p.Contains("readiness", StringComparison.Ordinal));
        Assert.Contains(cluster.Server.Requests, r => r.Query.Contains("watch=true", StringComparison.Ordinal));
        Assert.Equal($"/sessions/{result.Plan.PodName}/lab", result.Url);
        Assert.Equal(200, result.HttpStatus);
        Assert.Contains(cluster.Server.Requests, r => r.Path == $"/api/v1/namespaces/renku/pods/{result.Plan.PodName}:8888/proxy/sessions/{result.Plan.PodName}/lab");
    }

    [Fact]
    public async Task ADefaultUrlThatIsNotServedIsReported()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.ProxyAnswer = path => path.EndsWith("/lab", StringComparison.Ordinal) ? 404 : 200;
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout);
        Assert.Equal(ClusterCheckOutcome.Ready, result.Outcome);
        Assert.Equal(404, result.HttpStatus);
        Assert.NotNull(result.HttpError);
    }

    [Fact]
    public async Task AnImageThatCannotBePulledIsReported()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.ImagePullBackOff();
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout);

        Assert.Equal(ClusterCheckOutcome.ImagePullFailed, result.Outcome);
        Assert.Equal("ImagePullBackOff", result.Reason);
        Assert.Contains(result.Events, e => e.Reason == "Failed" && e.Message!.Contains("Failed to pull image", StringComparison.Ordinal));
        Assert.Empty(result.LogLines);
        Assert.True(result.PodDeleted);
        Assert.Single(cluster.Server.DeletedPods);
    }

    [Fact]
    public async Task ACrashingProcessIsReportedWithItsLastWords()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.CrashLoopBackOff(exitCode: 127, lastWords: "exec: /start.sh: not found");
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout);

        Assert.Equal(ClusterCheckOutcome.Crashed, result.Outcome);
        Assert.Equal("CrashLoopBackOff", result.Reason);
        Assert.Equal(127, result.ExitCode);
        Assert.Equal(1, result.RestartCount);
        Assert.Equal("exec: /start.sh: not found", result.LogLines[^1]);
        Assert.Contains(cluster.Server.Requests, r => r.Path.EndsWith("/log", StringComparison.Ordinal) && r.Query.Contains("previous=true", StringComparison.Ordinal));
        Assert.True(result.PodDeleted);
    }

    [Fact]
    public async Task AServerOnTheWrongPortFailsTheProbeAtTheTimeout()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.NeverReady();
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster, probeSeconds: 1.5), Timeout);

        Assert.Equal(ClusterCheckOutcome.ProbeFailed, result.Outcome);
        Assert.Equal("Unhealthy", result.Reason);
        var unhealthy = Assert.Single(result.Events, e => e.Reason == "Unhealthy");
        Assert.Equal(2, unhealthy.Count);
        Assert.Contains("8888", result.Message, StringComparison.Ordinal);
        Assert.True(result.PodDeleted);
    }

    [Fact]
    public async Task AnUnschedulablePodIsReportedAtTheTimeout()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Unschedulable();
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster, probeSeconds: 1), Timeout);
        Assert.Equal(ClusterCheckOutcome.Unschedulable, result.Outcome);
        Assert.Contains("Insufficient memory", result.Message, StringComparison.Ordinal);
        Assert.True(result.PodDeleted);
    }

    [Fact]
    public async Task APodThatNeverMovesTimesOut()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Stuck();
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster, probeSeconds: 1), Timeout);
        Assert.Equal(ClusterCheckOutcome.TimedOut, result.Outcome);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.True(result.PodDeleted);
    }

    [Fact]
    public async Task CancellationStillDeletesThePod()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Stuck();
        using var cts = new CancellationTokenSource();
        Task<ClusterCheckResult> check = ClusterSessionCheck.RunAsync(Spec, Options(cluster, probeSeconds: 60), cts.Token);
        DateTime deadline = DateTime.UtcNow.AddSeconds(20);
        while (cluster.Server.CreatedPods.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        await Task.Delay(100);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
        string created = ObjectStore.Name(Assert.Single(cluster.Server.CreatedPods));
        Assert.Equal(new[] { created }, cluster.Server.DeletedPods);
        Assert.Empty(cluster.Server.Store.List("pods", "renku", _ => true).Items);
    }

    [Fact]
    public async Task AnErrorWhileWatchingStillDeletesThePod()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Forbid("watch", "pods");
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout));
        Assert.Equal(KubernetesErrorKind.Forbidden, ex.Kind);
        Assert.Single(cluster.Server.DeletedPods);
        Assert.Empty(cluster.Server.Store.List("pods", "renku", _ => true).Items);
    }

    [Fact]
    public async Task AForbiddenCreateLeavesNothingBehind()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Forbid("create", "pods");
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout));
        Assert.Equal(KubernetesErrorKind.Forbidden, ex.Kind);
        Assert.Empty(cluster.Server.CreatedPods);
        Assert.Empty(cluster.Server.DeletedPods);
    }

    [Fact]
    public async Task AnExpiredWatchIsResumedFromAFreshRead()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = new PodScenario(
            "compacted",
            new PodStep(TimeSpan.FromMilliseconds(50), p => p.Schedule()),
            new PodStep(TimeSpan.FromMilliseconds(50), _ => cluster.Server.Store.Compact()),
            new PodStep(TimeSpan.FromMilliseconds(300), p => p.Started("up")),
            new PodStep(TimeSpan.FromMilliseconds(50), p => p.BecomeReady()));
        ClusterCheckResult result = await ClusterSessionCheck.RunAsync(Spec, Options(cluster), Timeout);
        Assert.Equal(ClusterCheckOutcome.Ready, result.Outcome);
        Assert.True(result.PodDeleted);
    }

    [Fact]
    public async Task InvalidSpecsSendNothing()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => ClusterSessionCheck.RunAsync(new SessionContainerSpec { Image = "Bad/Upper" }, Options(cluster), Timeout));
        Assert.Empty(cluster.Server.Requests);
    }

    [Fact]
    public async Task NamespaceResolutionReadsTheKubeconfigOnly()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Assert.Equal("renku", ClusterSessionCheck.ResolveNamespace(cluster.Target));
        Assert.Equal("x", ClusterSessionCheck.ResolveNamespace(new KubernetesTarget { Kubeconfig = cluster.Kubeconfig, Namespace = "x" }));
        Assert.Empty(cluster.Server.Requests);
    }
}
