
using Xunit;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class KubeconfigResolverTests
{
    [Fact]
    public async Task KubeconfigVariableFilesAreMergedFirstWins()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        string second = cluster.Server.WriteKubeconfig(Path.Combine(cluster.Folder, "second"), ns: "team-b", context: "other");
        string variable = string.Join(Path.PathSeparator, Path.Combine(cluster.Folder, "does-not-exist"), cluster.Kubeconfig, second);
        var resolver = new KubeconfigResolver(name => name == "KUBECONFIG" ? variable : null, "/nonexistent/.kube/config", () => false);

        var current = resolver.Resolve(new KubernetesTarget());
        Assert.Equal("renku", current.Namespace);
        Assert.StartsWith(cluster.Server.BaseUrl, current.Host, StringComparison.Ordinal);

        var other = resolver.Resolve(new KubernetesTarget { Context = "other" });
        Assert.Equal("team-b", other.Namespace);
    }

    [Fact]
    public async Task DefaultFileIsUsedWhenNothingElseIsSet()
    {
        await using FakeCluster cluster = await FakeCluster.StartAsync();
        var resolver = new KubeconfigResolver(_ => null, cluster.Kubeconfig, () => false);
        Assert.Equal("renku", resolver.Resolve(new KubernetesTarget()).Namespace);
    }

    [Fact]
    public void NothingConfiguredOutsideAClusterIsNotConfigured()
    {
        var resolver = new KubeconfigResolver(_ => null, "/nonexistent/.kube/config", () => false);
        var ex = Assert.Throws<KubernetesException>(() => resolver.Resolve(new KubernetesTarget()));
        Assert.Equal(KubernetesErrorKind.NotConfigured, ex.Kind);
    }
}
