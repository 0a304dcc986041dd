using Renku.PowerShell.FakeKubernetes;

using Xunit;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class KubernetesSessionRuntimeTests
{
    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static SessionCheckRequest Request(string defaultUrl = "/") => new()
    {
        Image = "registry.example.org/team/lab:1.0.0",
        Settings = new SessionSettings { Port = 8888, Uid = 1000, Gid = 100, DefaultUrl = defaultUrl, Command = new[] { "/cnb/process/web" } },
        Layout = new SessionSettings().ResolveLayout(null),
        ReadinessDeadline = TimeSpan.FromSeconds(20),
    };

    [Fact]
    public async Task AReadySessionIsReportedForTheSessionRules()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        var progress = new List<string>();
        SessionCheck check = await new KubernetesSessionRuntime(cluster.Target).RunAsync(Request("/lab"), new Progress<string>(progress.Add), Timeout);

        Assert.Equal("Kubernetes", check.Runtime);
        Assert.True(check.Started);
        Assert.True(check.Ready);
        Assert.True(check.StayedUp);
        Assert.False(check.Exited);
        Assert.True(check.CleanedUp);
        Assert.Equal("1000:100", check.User);
        Assert.Equal(ReadinessProbeSettings.Renku, check.Probe);
        Assert.Equal("/home/renku/work", check.MountDirectory);
        Assert.Contains("RENKU_SESSION_PORT=8888", check.Environment);
        Assert.Equal(new[] { "/cnb/process/web" }, check.Entrypoint);
        Assert.Equal(200, check.HttpStatus);
        Assert.EndsWith("/lab", check.Url, StringComparison.Ordinal);
        Assert.Null(check.MountWritable);
        Assert.NotNull(check.WriteCheckError);
        Assert.Empty(cluster.Server.ContractViolations);
        Assert.Equal(100, cluster.Server.CreatedPods[0]["spec"]!["securityContext"]!["fsGroup"]!.GetValue<int>());
    }

    [Fact]
    public async Task APullFailureMeansTheSessionNeverStarted()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.ImagePullBackOff();
        SessionCheck check = await new KubernetesSessionRuntime(cluster.Target).RunAsync(Request(), null, Timeout);
        Assert.False(check.Started);
        Assert.StartsWith("ImagePullBackOff:", check.StartError, StringComparison.Ordinal);
        Assert.False(check.Ready);
        Assert.True(check.CleanedUp);
    }

    [Fact]
    public async Task ACrashIsAnExitWithItsCodeAndLogTail()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.CrashLoopBackOff(exitCode: 3, lastWords: "boom");
        SessionCheck check = await new KubernetesSessionRuntime(cluster.Target).RunAsync(Request(), null, Timeout);
        Assert.True(check.Started);
        Assert.True(check.Exited);
        Assert.False(check.StayedUp);
        Assert.Equal(3, check.ExitCode);
        Assert.Equal("boom", check.LogTail[^1]);
    }

    [Fact]
    public async Task ProbeFailuresAreCountedFromTheEvents()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.Scenario = PodScenario.NeverReady(TimeSpan.Zero);
        var request = Request();
        request = new SessionCheckRequest { Image = request.Image, Settings = request.Settings, Layout = request.Layout, ReadinessDeadline = TimeSpan.FromSeconds(1.5) };
        SessionCheck check = await new KubernetesSessionRuntime(cluster.Target).RunAsync(request, null, Timeout);
        Assert.True(check.Started);
        Assert.True(check.StayedUp);
        Assert.False(check.Ready);
        Assert.Null(check.FirstConnect);
        Assert.Equal(2, check.ProbeFailures);
    }

    [Fact]
    public async Task PlanReadsOnlyTheKubeconfig()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        var runtime = new KubernetesSessionRuntime(cluster.Target);
        ClusterCheckPlan plan = runtime.Plan(Request());
        Assert.Equal("renku", plan.Namespace);
        Assert.Equal("renku", runtime.ResolveNamespace());
        Assert.Contains("fsGroup: 100", plan.Manifest, StringComparison.Ordinal);
        Assert.Empty(cluster.Server.Requests);
    }
}
