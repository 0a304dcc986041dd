using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

/// <summary>A fake API server and a kubeconfig pointing at it, in a temporary folder.</summary>
internal sealed class FakeCluster : IAsyncDisposable
{
    private FakeCluster(FakeKubernetesServer server, string folder)
    {
        Server = server;
        Folder = folder;
        Kubeconfig = server.WriteKubeconfig(Path.Combine(folder, "config"));
    }

    public FakeKubernetesServer Server { get; }

    public string Folder { get; }

    public string Kubeconfig { get; }

    public KubernetesTarget Target => new() { Kubeconfig = Kubeconfig };

    public static async Task<FakeCluster> StartAsync()
    {
        string folder = Path.Combine(Path.GetTempPath(), "renku-ps-kube-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return new FakeCluster(await FakeKubernetesServer.StartAsync(), folder);
    }

    public string WriteFile(string name, string content)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
