using System.Text.Json.Nodes;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

namespace Renku.PowerShell.TestParts;

/// <summary>
/// docker-registry on loopback that hands blob downloads to an nginx blob host (as public
/// registries hand them to a CDN), seeded with images written here: a layered Debian image, a
/// Renku-style session image, one that runs as root, and a repository of version tags.
/// </summary>
internal sealed class RegistryPart : ITestPart
{
    private readonly RegistryServer registry;
    private readonly BlobHost blobHost;
    private readonly JsonObject images;

    private RegistryPart(RegistryServer registry, BlobHost blobHost, JsonObject images)
    {
        this.registry = registry;
        this.blobHost = blobHost;
        this.images = images;
    }

    public string Name => "registry";

    public static async Task<RegistryPart> StartAsync()
    {
        int blobPort = FreePort.Next();
        RegistryServer registry = RegistryServer.Start(null, null, $"middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: http://127.0.0.1:{blobPort}\n");
        BlobHost? blobHost = null;
        try
        {
            blobHost = BlobHost.Start(registry.StorageDirectory, blobPort);
            var images = new JsonObject();
            using (var pusher = new RegistryPusher(registry.BaseUri))
            {
                pusher.Push("team/layered", "1.0.0", SampleImages.Layered());
                images["layered"] = registry.Host + "/team/layered:1.0.0";
                pusher.Push("team/compliant", "1.0.0", ComplianceImages.Session());
                images["compliant"] = registry.Host + "/team/compliant:1.0.0";
                pusher.Push("team/root", "1.0.0", ComplianceImages.Session(user: null, seed: 2));
                images["root"] = registry.Host + "/team/root:1.0.0";

                // Upgrade gates: lab's 1.1.0 is a session image like its 1.0.0; gated's 1.1.0 switched to root.
                pusher.Push("team/lab", "1.0.0", ComplianceImages.Session(seed: 21));
                pusher.Push("team/lab", "1.1.0", ComplianceImages.Session(seed: 22));
                images["lab"] = registry.Host + "/team/lab";
                pusher.Push("team/gated", "1.0.0", ComplianceImages.Session(seed: 23));
                pusher.Push("team/gated", "1.1.0", ComplianceImages.Session(user: null, seed: 24));
                images["gated"] = registry.Host + "/team/gated";
            }

            using (var seeder = new RegistrySeeder(registry))
            {
                await seeder.PushTagsAsync("team/versions", new[] { "1.0.0", "1.0.1", "1.1.0", "2.0.0", "latest", "abc1234" }, distinctDigests: true).ConfigureAwait(false);
                images["versions"] = registry.Host + "/team/versions";

                // Tag schemes of real registries: build numbers, early access, sibling streams, release and KB pairs.
                await seeder.PushTagsAsync(
                    "team/schemes",
                    new[] { "17.0.1_12-jre-alpine", "17.0.1_13-jre-alpine", "17.0.2_8-jre-alpine", "21-ea-32", "22-ea-7", "2.11.0-python3.12", "2.11.0-python3.13", "1607-KB4487026", "1803-KB4487017" },
                    distinctDigests: true).ConfigureAwait(false);
                images["schemes"] = registry.Host + "/team/schemes";
            }

            return new RegistryPart(registry, blobHost, images);
        }
        catch
        {
            blobHost?.Dispose();
            registry.Dispose();
            throw;
        }
    }

    public JsonObject Describe() => new()
    {
        ["host"] = registry.Host,
        ["blobHost"] = blobHost.Host,
        ["images"] = images.DeepClone(),
    };

    public ValueTask DisposeAsync()
    {
        registry.Dispose();
        blobHost.Dispose();
        return ValueTask.CompletedTask;
    }
}
