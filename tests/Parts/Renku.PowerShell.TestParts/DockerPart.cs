using System.Text.Json.Nodes;

using Renku.PowerShell.TestSupport.Parts;

namespace Renku.PowerShell.TestParts;

/// <summary>
/// A private container engine with the images the suite builds from and checks: a busybox base with
/// user renku 1000, a compliant session image, one that never becomes ready, one that serves
/// nothing at all, and two job images (one exits 0 when it runs as Renku runs a job, one exits 3). <c>docker</c> is dockerd without a default bridge (as the xunit suites' engine);
/// <c>dockerhost</c> is dockerd that can give a container only the host's network;
/// <c>dockerbridge</c> is dockerd with a default bridge that cannot create networks; <c>podman</c>
/// is podman's Docker-compatible service.
/// </summary>
internal sealed class DockerPart : ITestPart
{
    private readonly IDisposable engine;
    private readonly string host;
    private readonly JsonObject images;

    private DockerPart(string name, IDisposable engine, string host, JsonObject images)
    {
        Name = name;
        this.engine = engine;
        this.host = host;
        this.images = images;
    }

    public string Name { get; }

    public static DockerPart Start(string name)
    {
        (IDisposable engine, string host) = name switch
        {
            "dockerhost" => Engine(PrivateDockerDaemon.Start(PrivateDockerDaemon.Networking.HostOnly)),
            "dockerbridge" => Engine(PrivateDockerDaemon.Start(PrivateDockerDaemon.Networking.DefaultBridgeOnly)),
            "podman" => Engine(PodmanService.Start()),
            _ => Engine(PrivateDockerDaemon.Start()),
        };
        try
        {
            var images = new JsonObject();
            string rootfs = BusyboxImage.CreateRootfs(Path.Combine(Path.GetTempPath(), "renku-ps-parts-base-" + Guid.NewGuid().ToString("N")[..8]));
            try
            {
                BusyboxImage.ImportInto(host, rootfs, "renku-ps-pester/base:1");
                images["base"] = "renku-ps-pester/base:1";
            }
            finally
            {
                Directory.Delete(rootfs, recursive: true);
            }

            SessionTestImages.BuildInto(host, "renku-ps-pester/session-compliant:1", new SessionTestImages.Recipe());
            images["compliant"] = "renku-ps-pester/session-compliant:1";
            SessionTestImages.BuildInto(host, "renku-ps-pester/session-wrongport:1", SessionTestImages.WrongPortRecipe);
            images["wrongPort"] = "renku-ps-pester/session-wrongport:1";
            SessionTestImages.BuildInto(host, "renku-ps-pester/session-sleeps:1", SessionTestImages.SleepsRecipe);
            images["sleeps"] = "renku-ps-pester/session-sleeps:1";
            SessionTestImages.BuildInto(host, "renku-ps-pester/job-succeeds:1", SessionTestImages.JobSucceedsRecipe);
            images["jobSucceeds"] = "renku-ps-pester/job-succeeds:1";
            SessionTestImages.BuildInto(host, "renku-ps-pester/job-fails:1", SessionTestImages.JobFailsRecipe);
            images["jobFails"] = "renku-ps-pester/job-fails:1";
            return new DockerPart(name, engine, host, images);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public JsonObject Describe() => new()
    {
        ["host"] = host,
        ["images"] = images.DeepClone(),
    };

    public ValueTask DisposeAsync()
    {
        engine.Dispose();
        return ValueTask.CompletedTask;
    }

    private static (IDisposable, string) Engine(PrivateDockerDaemon daemon) => (daemon, daemon.Host);

    private static (IDisposable, string) Engine(PodmanService podman) => (podman, podman.Host);
}
