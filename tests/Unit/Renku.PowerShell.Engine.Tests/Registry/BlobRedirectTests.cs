using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>
/// A private registry that hands blob downloads to another host (docker-registry's redirect
/// middleware in front of nginx), as public registries hand them to a CDN: the blobs are read and
/// verified from there, and the registry's credentials never reach the blob host.
/// </summary>
public sealed class BlobRedirectTests
{
    private const string User = "carol";
    private const string Password = "redirect-Pa55word";

    [SkippableFact]
    public async Task BlobsComeFromTheBlobHostWithoutTheRegistrysCredentials()
    {
        int blobHostPort = FreePort.Next();

        // The recorder between the client and nginx sees what the client sends to the blob host.
        using FaultProxy recorder = FaultProxy.Start(new Uri($"http://127.0.0.1:{blobHostPort}/"), hostName: "localhost");
        using RegistryServer registry = RegistryServer.Start(User, Password, $"middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: http://{recorder.Host}\n");
        using BlobHost blobHost = BlobHost.Start(registry.StorageDirectory, blobHostPort);
        TestImage image = ComplianceImages.Session(padding: 512 * 1024);
        using (var pusher = new RegistryPusher(registry.BaseUri, User, Password))
        {
            pusher.Push("team/redirected", "1.0.0", image);
        }

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, Password) });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(registry.Host + "/team/redirected:1.0.0"), new ImageInspectionOptions { ReadFiles = true });

        Assert.Equal(1000, info.User!.Uid);
        Assert.Equal("ubuntu", info.OsId);
        Assert.All(info.Files.Where(f => f.Exists), f => Assert.True(f.LayerVerified, f.Path));
        var blobReads = recorder.Requests.Where(r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal)).ToList();
        Assert.Equal(image.Layers.Count + 1, blobReads.Count);
        Assert.All(blobReads, r => Assert.Null(r.Authorization));
    }
}
