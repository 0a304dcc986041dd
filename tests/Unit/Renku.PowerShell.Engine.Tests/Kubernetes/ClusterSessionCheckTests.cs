using System.Collections.Concurrent;

using Renku.PowerShell.FakeKubernetes;

using Xunit;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class ClusterSessionCheckTests
{
    private static readonly SessionSettings Settings = new()
    {
        Port = 8888,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        DefaultUrl = "/lab",
    };

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static SessionCheckRequest Spec(double probeSeconds = 20, string image = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3") => new()
    {
        Image = image,
        Settings = Settings,
        ReadinessDeadline = TimeSpan.FromSeconds(probeSeconds),
    };

    private static ClusterCheckOptions Options(FakeCluster cluster, ConcurrentQueue<string>? progress = null) => new()
    {
        Target = cluster.Target,
        Progress = progress is null ? null : progress.Enqueue,
    };

    private static string PodName(SessionCheck check) => check.ContainerName!.Split('/')[1];

    [Fact]
    public async Task AnImageThatServesOnThePortIsReadyAndThePodIsDeleted()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        var progress = new ConcurrentQueue<string>();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(), Options(cluster, progress: progress), Timeout);

        Assert.Equal(SessionOutcome.Ready, result.Outcome);
        Assert.True(result.Ready);
        Assert.NotNull(result.TimeToReady);
        Assert.NotNull(result.ScheduledAfter);
        Assert.NotNull(result.StartedAfter);
        Assert.True(result.ScheduledAfter <= result.StartedAfter && result.StartedAfter <= result.TimeToReady);
        Assert.True(result.CleanedUp);
        Assert.Contains(result.Events, e => e.Reason == "Started");
        Assert.Contains(result.LogTail, l => l.Contains("Jupyter Server is running", StringComparison.Ordinal));

        Assert.Empty(cluster.Server.ContractViolations);
        var created = Assert.Single(cluster.Server.CreatedPods);
        Assert.Equal(PodName(result), ObjectStore.Name(created));
        Assert.Equal(new[] { PodName(result) }, cluster.Server.DeletedPods);
        Assert.Null(cluster.Server.Store.Get("pods", "renku", PodName(result)));
        Assert.Contains(progress, p => p.Contains("readiness", StringComparison.Ordinal));
        Assert.Contains(cluster.Server.Requests, r => r.Query.Contains("watch=true", StringComparison.Ordinal));
        Assert.Equal($"/sessions/{PodName(result)}/lab", result.Url);
        Assert.Equal(200, result.HttpStatus);
        Assert.Contains(cluster.Server.Requests, r => r.Path == $"/api/v1/namespaces/renku/pods/{PodName(result)}:8888/proxy/sessions/{PodName(result)}/lab");
    }

    [Fact]
    public async Task ADefaultUrlThatIsNotServedIsReported()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.ProxyAnswer = path => path.EndsWith("/lab", StringComparison.Ordinal) ? 404 : 200;
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.Ready, result.Outcome);
        Assert.Equal(404, result.HttpStatus);
        Assert.NotNull(result.HttpError);
    }

    [Fact]
    public async Task AnImageThatCannotBePulledIsReported()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.ImagePullBackOff();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout);

        Assert.Equal(SessionOutcome.ImagePullFailed, result.Outcome);
        Assert.Equal("ImagePullBackOff", result.Reason);
        Assert.Contains(result.Events, e => e.Reason == "Failed" && e.Message!.Contains("Failed to pull image", StringComparison.Ordinal));
        Assert.Empty(result.LogTail);
        Assert.True(result.CleanedUp);
        Assert.Single(cluster.Server.DeletedPods);
    }

    [Fact]
    public async Task ACrashingProcessIsReportedWithItsLastWords()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.CrashLoopBackOff(exitCode: 127, lastWords: "exec: /start.sh: not found");
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout);

        Assert.Equal(SessionOutcome.Crashed, result.Outcome);
        Assert.Equal("CrashLoopBackOff", result.Reason);
        Assert.Equal(127, result.ExitCode);
        Assert.Equal(1, result.RestartCount);
        Assert.Equal("exec: /start.sh: not found", result.LogTail[^1]);
        Assert.Contains(cluster.Server.Requests, r => r.Path.EndsWith("/log", StringComparison.Ordinal) && r.Query.Contains("previous=true", StringComparison.Ordinal));
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task AServerOnTheWrongPortFailsTheProbeAtTheTimeout()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.NeverReady(TimeSpan.Zero);
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(1.5), Options(cluster), Timeout);

        Assert.Equal(SessionOutcome.ProbeFailed, result.Outcome);
        Assert.Equal("Unhealthy", result.Reason);
        var unhealthy = Assert.Single(result.Events, e => e.Reason == "Unhealthy");
        Assert.Equal(2, unhealthy.Count);
        Assert.Contains("8888", result.Message, StringComparison.Ordinal);
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task AnUnschedulablePodIsReportedAtTheTimeout()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Unschedulable(TimeSpan.Zero);
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(1), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.Unschedulable, result.Outcome);
        Assert.Contains("Insufficient memory", result.Message, StringComparison.Ordinal);
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task APodThatNeverMovesTimesOut()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Stuck();
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(1), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.TimedOut, result.Outcome);
        Assert.InRange(result.Duration, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(15));
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task CancellationStillDeletesThePod()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.Stuck();
        using var cts = new CancellationTokenSource();
        Task<SessionCheck> check = ClusterSessionCheck.RunAsync(Spec(60), Options(cluster), cts.Token);
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
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout));
        Assert.Equal(KubernetesErrorKind.Forbidden, ex.Kind);
        Assert.Single(cluster.Server.DeletedPods);
        Assert.Empty(cluster.Server.Store.List("pods", "renku", _ => true).Items);
    }

    [Fact]
    public async Task AForbiddenCreateLeavesNothingBehind()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Forbid("create", "pods");
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout));
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
        SessionCheck result = await ClusterSessionCheck.RunAsync(Spec(), Options(cluster), Timeout);
        Assert.Equal(SessionOutcome.Ready, result.Outcome);
        Assert.True(result.CleanedUp);
    }

    [Fact]
    public async Task InvalidSpecsSendNothing()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        await Assert.ThrowsAnyAsync<ArgumentException>(() => ClusterSessionCheck.RunAsync(Spec(image: "Bad/Upper"), Options(cluster), Timeout));
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
