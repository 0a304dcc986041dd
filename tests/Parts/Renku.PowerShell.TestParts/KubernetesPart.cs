using System.Text.Json.Nodes;

using Renku.PowerShell.FakeKubernetes;

namespace Renku.PowerShell.TestParts;

/// <summary>
/// The fake Kubernetes API with a kubeconfig for it and Renku sessions in namespace renku: twelve
/// sessions over three launchers, every fourth one failed and restarting, the last four on a
/// second image. The JSON answer lists them, so tests count from it.
/// </summary>
internal sealed class KubernetesPart : ITestPart
{
    private const string Namespace = "renku";
    private readonly FakeKubernetesServer server;
    private readonly string directory;
    private readonly string kubeconfig;
    private readonly JsonArray sessions;

    private KubernetesPart(FakeKubernetesServer server, string directory, string kubeconfig, JsonArray sessions)
    {
        this.server = server;
        this.directory = directory;
        this.kubeconfig = kubeconfig;
        this.sessions = sessions;
    }

    public string Name => "kubernetes";

    public static async Task<KubernetesPart> StartAsync()
    {
        FakeKubernetesServer server = await FakeKubernetesServer.StartAsync().ConfigureAwait(false);
        var sessions = new JsonArray();
        for (int i = 0; i < 12; i++)
        {
            bool failed = i % 4 == 3;
            var session = new FakeSession
            {
                Name = $"session-{i:D2}",
                LauncherId = $"01JLAUNCHER{i % 3:D15}",
                ProjectId = $"01JPROJECT{i % 2:D16}",
                Image = i < 8 ? "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3" : "ghcr.io/swissdatasciencecenter/renku/py-basic-vscodium:2.10.3",
                State = failed ? "Failed" : "Running",
                Error = failed ? "The session container keeps crashing" : null,
                RestartCount = failed ? 4 : 0,
                User = $"user{i % 4}",
            };
            server.AddSession(session, Namespace);
            sessions.Add(new JsonObject
            {
                ["name"] = session.Name,
                ["launcherId"] = session.LauncherId,
                ["projectId"] = session.ProjectId,
                ["image"] = session.Image,
                ["state"] = session.State,
                ["restartCount"] = session.RestartCount,
            });
        }

        string directory = Directory.CreateTempSubdirectory("renku-ps-parts-kube-").FullName;
        string kubeconfig = server.WriteKubeconfig(Path.Combine(directory, "config"), Namespace);
        return new KubernetesPart(server, directory, kubeconfig, sessions);
    }

    public JsonObject Describe() => new()
    {
        ["uri"] = server.BaseUrl,
        ["kubeconfig"] = kubeconfig,
        ["namespace"] = Namespace,
        ["sessions"] = sessions.DeepClone(),
    };

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync().ConfigureAwait(false);
        Directory.Delete(directory, recursive: true);
    }
}
