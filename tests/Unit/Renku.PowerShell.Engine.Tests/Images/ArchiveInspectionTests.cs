using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Images;

/// <summary>Inspecting OCI layouts and docker save archives, and images that went through a real dockerd.</summary>
public sealed class ArchiveInspectionTests : IDisposable
{
    private readonly string temp = Path.Combine(Path.GetTempPath(), "renku-ps-archive-" + Guid.NewGuid().ToString("N")[..8]);

    public ArchiveInspectionTests()
    {
        Directory.CreateDirectory(temp);
    }

    public void Dispose()
    {
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [Fact]
    public async Task ReadsAnOciLayoutFolderAndTheSameLayoutAsATar()
    {
        TestImage image = SampleImages.Layered();
        string layout = Path.Combine(temp, "layout");
        image.WriteLayout(layout, "example.org/team/app:3.0");
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });

        ImageInfo folder = await inspector.InspectArchiveAsync(layout, new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(ImageSourceKind.Archive, folder.Source);
        Assert.Equal(image.Manifest.Digest, folder.Digest);
        Assert.Equal("example.org/team/app:3.0", folder.Reference!.FullName);
        Assert.Equal("jovyan", folder.User!.UserName);
        Assert.Equal("debian", folder.OsId);
        Assert.True(folder.Files.Single(f => f.Path == "/etc/os-release").LayerVerified);

        string tar = Path.Combine(temp, "layout.tar");
        TarFolder(layout, tar);
        ImageInfo packed = await inspector.InspectArchiveAsync(tar, new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(folder.Digest, packed.Digest);
        Assert.Equal(100, packed.User!.Gid);
        Assert.Equal(Path.GetFullPath(tar), packed.Path);
    }

    [Fact]
    public async Task ATamperedLayoutBlobIsADigestMismatch()
    {
        TestImage image = SampleImages.Layered();
        string layout = Path.Combine(temp, "tampered");
        image.WriteLayout(layout, "app:1");
        string configPath = Path.Combine(layout, "blobs", "sha256", image.Config.Digest.Substring(7));
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("jovyan", "hacker", StringComparison.Ordinal));
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectArchiveAsync(layout));
        Assert.Equal(RegistryErrorKind.DigestMismatch, error.Kind);

        var notAnArchive = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectArchiveAsync(temp));
        Assert.Equal(RegistryErrorKind.InvalidArchive, notAnArchive.Kind);
    }

    [Fact]
    public async Task AMultiPlatformLayoutPicksThePlatform()
    {
        TestImage amd64 = SampleImages.Small("linux/amd64", version: "1.0");
        TestImage arm64 = SampleImages.Small("linux/arm64/v8", version: "2.0");
        var index = TestImage.Index(new[] { amd64, arm64 }, attestationFor: amd64);
        string layout = Path.Combine(temp, "multi");
        amd64.WriteLayout(layout, "x");
        arm64.WriteLayout(layout, "x");
        foreach (OciBlob blob in index.ExtraBlobs.Concat(index.ExtraManifests).Append(index.Index))
        {
            File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", blob.Digest.Substring(7)), blob.Content);
        }

        var entry = index.Index.Descriptor();
        entry["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "multi:1" };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), TestImage.Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["manifests"] = new[] { entry } }));

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectArchiveAsync(layout, new ImageInspectionOptions { ReadFiles = true, Platform = ImagePlatform.Parse("linux/arm64") });
        Assert.Equal(arm64.Manifest.Digest, info.Digest);
        Assert.Equal(index.Index.Digest, info.IndexDigest);
        Assert.Equal("2.0", info.OsVersion);
        Assert.Equal(2, info.Platforms.Count);
    }

    [SkippableFact]
    public async Task ReadsADockerSaveArchiveAndAnImagePushedByDockerd()
    {
        DockerDaemon.Require();
        string rootfs = BusyboxImage.CreateRootfs(Path.Combine(temp, "rootfs"), osId: "ubuntu", osVersion: "24.04");
        string tag = "renku-ps-test/inspect:" + Guid.NewGuid().ToString("N")[..8];
        BusyboxImage.Import(rootfs, tag, "USER 1000", "WORKDIR /home/renku", "ENV RENKU_TEST=1");
        try
        {
            string archive = Path.Combine(temp, "saved.tar");
            DockerDaemon.Cli(TimeSpan.FromMinutes(2), "save", "-o", archive, tag).EnsureSuccess("docker save");
            using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
            ImageInfo saved = await inspector.InspectArchiveAsync(archive, new ImageInspectionOptions { ReadFiles = true });
            Assert.Equal("renku", saved.User!.UserName);
            Assert.Equal(1000, saved.User.Gid);
            Assert.Equal("ubuntu", saved.OsId);
            Assert.Equal("24.04", saved.OsVersion);
            Assert.Equal(new[] { "debian" }, saved.OsIdLike);
            Assert.Equal("/home/renku", saved.Config.WorkingDir);
            Assert.Equal("1", saved.Config.GetEnv("RENKU_TEST"));

            using RegistryServer registry = RegistryServer.Start();
            string pushed = registry.Host + "/dockerd/busybox:1";
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "tag", tag, pushed).EnsureSuccess("docker tag");
            DockerDaemon.Cli(TimeSpan.FromMinutes(2), "push", pushed).EnsureSuccess("docker push");
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", pushed).EnsureSuccess("docker rmi");
            ImageInfo remote = await inspector.InspectAsync(ImageReference.Parse(pushed), new ImageInspectionOptions { ReadFiles = true });
            Assert.Equal("renku", remote.User!.UserName);
            Assert.Equal("ubuntu", remote.OsId);
            Assert.Equal(saved.Config.WorkingDir, remote.Config.WorkingDir);
            Assert.Equal(PublicAccess.Public, remote.PublicAccess);
            Assert.Equal("/usr/lib/os-release", remote.Files.Single(f => f.Path == "/etc/os-release").ResolvedPath);
        }
        finally
        {
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", "-f", tag);
        }
    }

    private static void TarFolder(string folder, string tar) =>
        ProcessRunner.Run("tar", new[] { "-C", folder, "-cf", tar, "." }, TimeSpan.FromMinutes(1)).EnsureSuccess("tar");
}
