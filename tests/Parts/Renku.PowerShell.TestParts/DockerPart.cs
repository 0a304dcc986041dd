using System.Text.Json.Nodes;

using Renku.PowerShell.TestSupport.Parts;

namespace Renku.PowerShell.TestParts;

/// <summary>
/// A private Docker engine with the images the suite builds from and checks: a busybox base with
/// user renku 1000, a compliant session image and one that never becomes ready.
/// </summary>
internal sealed class DockerPart : ITestPart
{
    private readonly PrivateDockerDaemon engine;
    private readonly JsonObject images;

    private DockerPart(PrivateDockerDaemon engine, JsonObject images)
    {
        this.engine = engine;
        this.images = images;
    }

    public string Name => "docker";

    public static DockerPart Start()
    {
        PrivateDockerDaemon engine = PrivateDockerDaemon.Start();
        try
        {
            var images = new JsonObject();
            string rootfs = BusyboxImage.CreateRootfs(Path.Combine(Path.GetTempPath(), "renku-ps-parts-base-" + Guid.NewGuid().ToString("N")[..8]));
            try
            {
                BusyboxImage.ImportInto(engine.Host, rootfs, "renku-ps-pester/base:1");
                images["base"] = "renku-ps-pester/base:1";
            }
            finally
            {
                Directory.Delete(rootfs, recursive: true);
            }

            SessionTestImages.BuildInto(engine.Host, "renku-ps-pester/session-compliant:1", new SessionTestImages.Recipe());
            images["compliant"] = "renku-ps-pester/session-compliant:1";
            SessionTestImages.BuildInto(engine.Host, "renku-ps-pester/session-wrongport:1", SessionTestImages.WrongPortRecipe);
            images["wrongPort"] = "renku-ps-pester/session-wrongport:1";
            return new DockerPart(engine, images);
        }
        catch
        {
            engine.Dispose();
            throw;
        }
    }

    public JsonObject Describe() => new()
    {
        ["host"] = engine.Host,
        ["images"] = images.DeepClone(),
    };

    public ValueTask DisposeAsync()
    {
        engine.Dispose();
        return ValueTask.CompletedTask;
    }
}
