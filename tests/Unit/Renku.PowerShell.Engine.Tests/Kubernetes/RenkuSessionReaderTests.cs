using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport;

using Xunit;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class RenkuSessionReaderTests
{
    private const string LauncherA = "01JLAUNCHERA00000000000000";
    private const string LauncherB = "01JLAUNCHERB00000000000000";
    private const string ProjectP = "01JPROJECTP00000000000000P";
    private const string Jupyter = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3";
    private const string Custom = "registry.example.org/team/custom:1.0";

    private static CancellationToken Timeout => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private static void Seed(FakeKubernetesServer server)
    {
        server.AddSession(new FakeSession { Name = "s-alpha", LauncherId = LauncherA, ProjectId = ProjectP, User = "alice", RestartCount = 0 });
        server.AddSession(new FakeSession { Name = "s-bravo", LauncherId = LauncherA, ProjectId = ProjectP, User = "bob", State = "Failed", Error = "the session crashed", FailingSince = DateTimeOffset.UtcNow.AddMinutes(-30), Ready = 1, RestartCount = 7 });
        server.AddSession(new FakeSession { Name = "s-charlie", LauncherId = LauncherB, Image = Custom, User = "carol", Hibernated = true, State = "Hibernated", Ready = 0 });
        server.AddSession(new FakeSession { Name = "s-delta", LauncherId = LauncherB, Image = Custom, User = "dave" });
        server.AddSession(new FakeSession { Name = "s-echo", Image = "docker.io/library/python:3.12", User = "eve" });
        server.AddSession(new FakeSession { Name = "s-other-ns", LauncherId = LauncherA }, ns: "elsewhere");
    }

    [Fact]
    public async Task JoinsSessionsWithTheirPods()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Seed(cluster.Server);
        var sessions = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), Timeout);

        Assert.Equal(new[] { "s-alpha", "s-bravo", "s-charlie", "s-delta", "s-echo" }, sessions.Select(s => s.Name));
        RenkuSession bravo = sessions[1];
        Assert.Equal("renku", bravo.Namespace);
        Assert.Equal("Failed", bravo.State);
        Assert.Equal(Jupyter, bravo.Image);
        Assert.Equal(LauncherA, bravo.LauncherId);
        Assert.Equal(ProjectP, bravo.ProjectId);
        Assert.Equal("bob", bravo.User);
        Assert.Equal("https://renku.example.org/sessions/s-bravo", bravo.Url);
        Assert.Equal((1, 2), (bravo.ReadyContainers!.Value, bravo.TotalContainers!.Value));
        Assert.Equal(7, bravo.RestartCount);
        Assert.Equal("the session crashed", bravo.Error);
        Assert.NotNull(bravo.FailingSince);
        Assert.InRange(bravo.Age!.Value, TimeSpan.FromMinutes(110), TimeSpan.FromMinutes(130));
        Assert.False(bravo.Hibernated);

        RenkuSession charlie = sessions[2];
        Assert.True(charlie.Hibernated);
        Assert.Null(charlie.RestartCount);
        Assert.NotNull(charlie.HibernatedSince);
    }

    [Fact]
    public async Task ListsInPagesAndMakesOneListOfEachKind()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        for (int i = 0; i < 7; i++)
        {
            cluster.Server.AddSession(new FakeSession { Name = $"s-{i:D2}", RestartCount = i });
        }

        var sessions = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), pageSize: 3, Timeout);

        Assert.Equal(7, sessions.Count);
        Assert.Equal(Enumerable.Range(0, 7), sessions.Select(s => s.RestartCount!.Value));
        var sessionCalls = cluster.Server.Requests.Where(r => r.Path.EndsWith("/amaltheasessions", StringComparison.Ordinal)).ToList();
        var podCalls = cluster.Server.Requests.Where(r => r.Path.EndsWith("/pods", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, sessionCalls.Count);
        Assert.Equal(3, podCalls.Count);
        Assert.All(sessionCalls.Concat(podCalls), r => Assert.Contains("limit=3", r.Query, StringComparison.Ordinal));
        Assert.Equal(2, sessionCalls.Count(r => r.Query.Contains("continue=", StringComparison.Ordinal)));
        Assert.DoesNotContain(cluster.Server.Requests, r => r.Path.Contains("/pods/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartsOverOnceWhenAContinueTokenExpires()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        for (int i = 0; i < 5; i++)
        {
            cluster.Server.AddSession(new FakeSession { Name = $"s-{i}" });
        }

        cluster.Server.ExpireNextContinueTokens(1);
        var sessions = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), pageSize: 2, Timeout);
        Assert.Equal(5, sessions.Count);
        Assert.Equal(5, sessions.Select(s => s.Name).Distinct().Count());

        cluster.Server.ExpireNextContinueTokens(2);
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), pageSize: 2, Timeout));
        Assert.Equal(KubernetesErrorKind.Expired, ex.Kind);
        Assert.Equal(410, ex.StatusCode);
    }

    [Fact]
    public async Task FiltersByStateLauncherProjectAndImage()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Seed(cluster.Server);

        async Task<string[]> Names(RenkuSessionQuery query) => (await RenkuSessionReader.GetAsync(cluster.Target, query, Timeout)).Select(s => s.Name).ToArray();

        Assert.Equal(new[] { "s-bravo" }, await Names(new RenkuSessionQuery { States = new[] { "failed" } }));
        Assert.Equal(new[] { "s-charlie", "s-delta" }, await Names(new RenkuSessionQuery { LauncherIds = new[] { LauncherB } }));
        Assert.Equal(new[] { "s-alpha", "s-bravo" }, await Names(new RenkuSessionQuery { ProjectIds = new[] { ProjectP } }));
        Assert.Equal(new[] { "s-delta" }, await Names(new RenkuSessionQuery { LauncherIds = new[] { LauncherB }, States = new[] { "Running" } }));
        Assert.Equal(new[] { "s-charlie", "s-delta" }, await Names(new RenkuSessionQuery { ImageFilter = i => i.StartsWith("registry.example.org/", StringComparison.Ordinal) }));
    }

    [Fact]
    public async Task EnvironmentsSelectByLauncherOrImageAndLaunchersAloneSelectTheirSessions()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Seed(cluster.Server);
        var launchers = new[]
        {
            new SessionLauncherRef(LauncherA, "ENV-JUPYTER", ProjectP),
            new SessionLauncherRef(LauncherB, "ENV-CUSTOM", null),
        };

        // By image only: python:3.12 is the same image as docker.io/library/python:3.12.
        var byImage = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery { Environments = new[] { new SessionEnvironmentRef("ENV-PY", "python:3.12") } }, Timeout);
        Assert.Equal("s-echo", Assert.Single(byImage).Name);
        Assert.Equal("ENV-PY", byImage[0].EnvironmentId);

        // Through the launchers: the environment id matches, whatever the image.
        var byLauncher = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery { Environments = new[] { new SessionEnvironmentRef("ENV-CUSTOM", "unrelated/image:9") }, Launchers = launchers }, Timeout);
        Assert.Equal(new[] { "s-charlie", "s-delta" }, byLauncher.Select(s => s.Name));
        Assert.All(byLauncher, s => Assert.Equal("ENV-CUSTOM", s.EnvironmentId));

        // Launchers alone select their own sessions.
        var launcherOnly = await RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery { Launchers = new[] { launchers[0] } }, Timeout);
        Assert.Equal(new[] { "s-alpha", "s-bravo" }, launcherOnly.Select(s => s.Name));
        Assert.All(launcherOnly, s => Assert.Equal("ENV-JUPYTER", s.EnvironmentId));
    }

    [Fact]
    public async Task NamespaceComesFromTheTargetElseTheContext()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Seed(cluster.Server);
        var other = await RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = cluster.Kubeconfig, Namespace = "elsewhere" }, new RenkuSessionQuery(), Timeout);
        Assert.Equal("s-other-ns", Assert.Single(other).Name);
        Assert.Equal("elsewhere", other[0].Namespace);
    }

    [Fact]
    public async Task ClusterWithoutAmaltheaGivesNotFound()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        cluster.Server.AmaltheaInstalled = false;
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.NotFound, ex.Kind);
        Assert.Contains("amaltheasessions.amalthea.dev", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForbiddenListIsClassifiedWithTheServersMessage()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        Seed(cluster.Server);
        cluster.Server.Forbid("list", "pods");
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(cluster.Target, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.Forbidden, ex.Kind);
        Assert.Equal(403, ex.StatusCode);
        Assert.Contains("cannot list resource \"pods\"", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongTokenIsUnauthorizedAndNeverShown()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        string kubeconfig = cluster.Server.WriteKubeconfig(Path.Combine(cluster.Folder, "wrong"), token: "sekrit-wrong-token-123");
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = kubeconfig }, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.Unauthorized, ex.Kind);
        Assert.DoesNotContain("sekrit-wrong-token-123", ex.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Server.Token, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnUnreachableClusterIsClassified()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        int closedPort = FreePort.Next();
        string kubeconfig = cluster.WriteFile("unreachable", File.ReadAllText(cluster.Kubeconfig).Replace(cluster.Server.BaseUrl, $"http://127.0.0.1:{closedPort}", StringComparison.Ordinal));
        var ex = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = kubeconfig }, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.Unreachable, ex.Kind);
        Assert.Contains($"127.0.0.1:{closedPort}", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadKubeconfigsAreClassifiedWithoutTheirContent()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        string garbage = cluster.WriteFile("garbage", "apiVersion: v1\nusers: [ {name: x, user: {token: leaked-token-456}\n  : : :\n");
        string missingContext = cluster.Kubeconfig;

        var e1 = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = garbage }, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.ConfigurationInvalid, e1.Kind);
        Assert.DoesNotContain("leaked-token-456", e1.Message, StringComparison.Ordinal);

        var e2 = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = missingContext, Context = "no-such-context" }, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.ConfigurationInvalid, e2.Kind);
        Assert.Contains("no-such-context", e2.Message, StringComparison.Ordinal);

        var e3 = await Assert.ThrowsAsync<KubernetesException>(() => RenkuSessionReader.GetAsync(new KubernetesTarget { Kubeconfig = Path.Combine(cluster.Folder, "absent") }, new RenkuSessionQuery(), Timeout));
        Assert.Equal(KubernetesErrorKind.ConfigurationInvalid, e3.Kind);
    }
}
