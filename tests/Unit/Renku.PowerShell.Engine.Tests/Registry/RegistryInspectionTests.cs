using Renku.PowerShell.Registry;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>ImageInspector against a real docker-registry with images written by the tests.</summary>
public class RegistryInspectionTests : IClassFixture<PlainRegistryFixture>
{
    private readonly PlainRegistryFixture fixture;

    public RegistryInspectionTests(PlainRegistryFixture fixture)
    {
        this.fixture = fixture;
    }

    [SkippableFact]
    public async Task ReadsConfigUserAndDistributionAcrossLayers()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true, ExtraFiles = new[] { "/etc/motd", "/opt/data/a", "/opt/data/c" } });

        Assert.Equal(fixture.Layered.Manifest.Digest, info.Digest);
        Assert.Equal(fixture.Layered.Manifest.Digest, info.IndexDigest);
        Assert.Equal(MediaTypes.OciManifest, info.MediaType);
        Assert.Equal("linux/amd64", info.Platform!.ToString());
        Assert.Equal(3, info.LayerCount);
        Assert.Equal(fixture.Layered.Layers.Sum(l => l.Size), info.CompressedSize);
        Assert.Equal(new DateTimeOffset(2024, 5, 1, 12, 0, 0, TimeSpan.Zero), info.Created);
        Assert.Equal("/home/jovyan", info.Config.WorkingDir);
        Assert.Equal(new[] { "tini", "--" }, info.Config.Entrypoint);
        Assert.Equal(new[] { "jupyter", "lab" }, info.Config.Cmd);
        Assert.Equal("/home/jovyan/work", info.Config.GetEnv("RENKU_MOUNT_DIR"));
        Assert.Equal(new[] { "8888/tcp" }, info.Config.ExposedPorts);
        Assert.Equal(new[] { "/home/jovyan/work" }, info.Config.Volumes);
        Assert.Equal("https://example.org/app", info.Config.Labels["org.opencontainers.image.source"]);
        Assert.Equal(PublicAccess.Public, info.PublicAccess);

        // USER "1000" has no group: the gid comes from jovyan's passwd entry in the top layer.
        Assert.NotNull(info.User);
        Assert.True(info.User!.Resolved, info.User.Problem);
        Assert.Equal("jovyan", info.User.UserName);
        Assert.Equal(1000, info.User.Uid);
        Assert.Equal(100, info.User.Gid);
        Assert.Equal("users", info.User.GroupName);
        Assert.Equal("/home/jovyan", info.User.Home);

        Assert.Equal("debian", info.OsId);
        Assert.Equal("12", info.OsVersion);
        Assert.Equal(new[] { "test-like", "other-like" }, info.OsIdLike);
        Assert.Equal("Debian GNU/Linux 12 (test)", info.OsPrettyName);

        ImageFile passwd = info.Files.Single(f => f.Path == "/etc/passwd");
        Assert.Equal(2, passwd.LayerIndex);
        Assert.Equal(fixture.Layered.Layers[2].Digest, passwd.LayerDigest);
        ImageFile osRelease = info.Files.Single(f => f.Path == "/etc/os-release");
        Assert.True(osRelease.Exists);
        Assert.Equal("/usr/lib/os-release", osRelease.ResolvedPath);
        Assert.Equal(0, osRelease.LayerIndex);
        Assert.Contains("ID=debian", osRelease.Content, StringComparison.Ordinal);
        Assert.Equal("12.5\n", info.Files.Single(f => f.Path == "/etc/debian_version").Content);
        Assert.False(info.Files.Single(f => f.Path == "/etc/lsb-release").Exists);

        // The middle layer deletes /etc/motd and makes /opt/data opaque.
        Assert.False(info.Files.Single(f => f.Path == "/etc/motd").Exists);
        Assert.False(info.Files.Single(f => f.Path == "/opt/data/a").Exists);
        ImageFile c = info.Files.Single(f => f.Path == "/opt/data/c");
        Assert.True(c.Exists, string.Join("; ", info.Files.Select(f => $"{f.Path} {f.Exists} {f.LayerIndex} {f.ResolvedPath}")));
        Assert.True(c.Exists);
        Assert.Equal(1, c.LayerIndex);
        Assert.Equal("c", c.Content);
    }

    [SkippableFact]
    public async Task StopsReadingOnceTheWantedFilesAreSettled()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true });

        // The 2 MiB middle layer is never needed (passwd and group are in the top layer), and the
        // base layer is left as soon as os-release is found, before its 2 MiB of padding.
        long middle = fixture.Layered.Layers[1].Size;
        long baseLayer = fixture.Layered.Layers[0].Size;
        Assert.True(middle > 2_000_000 && baseLayer > 2_000_000);
        Assert.True(info.BytesDownloaded < fixture.Layered.Layers.Sum(l => l.Size) - middle - baseLayer + 1_200_000, $"downloaded {info.BytesDownloaded} bytes");
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Equal("debian", info.OsId);
        ImageFile osRelease = info.Files.Single(f => f.Path == "/etc/os-release");
        Assert.Equal(0, osRelease.LayerIndex);
        Assert.False(osRelease.LayerVerified);

        // The small top layer is read to its end, so it is verified.
        Assert.True(info.Files.Single(f => f.Path == "/etc/passwd").LayerVerified);
    }

    [SkippableFact]
    public async Task WithoutFilesOnlyManifestAndConfigAreFetched()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0"));
        Assert.Equal(fixture.Layered.Manifest.Size + fixture.Layered.Config.Size, info.BytesDownloaded);
        Assert.Empty(info.Files);
        Assert.False(info.User!.Resolved);
        Assert.Equal(1000, info.User.Uid);
        Assert.Null(info.OsId);
    }

    [SkippableFact]
    public async Task PicksThePlatformFromAnIndexAndSkipsAttestations()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var reference = ImageReference.Parse(fixture.Server.Host + "/team/multi:2.0");

        ImageInfo amd64 = await inspector.InspectAsync(reference, new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(MediaTypes.OciIndex, amd64.MediaType);
        Assert.Equal(fixture.Index.Index.Digest, amd64.IndexDigest);
        Assert.Equal(fixture.Amd64.Manifest.Digest, amd64.Digest);
        Assert.Equal(new[] { "linux/amd64", "linux/arm64/v8" }, amd64.Platforms.Select(p => p.ToString()));
        Assert.Equal("3.20.1", amd64.OsVersion);
        Assert.Equal("root", amd64.User!.UserName);
        Assert.Equal(0, amd64.User.Gid);

        ImageInfo arm64 = await inspector.InspectAsync(reference, new ImageInspectionOptions { ReadFiles = true, Platform = ImagePlatform.Parse("linux/arm64") });
        Assert.Equal(fixture.Arm64.Manifest.Digest, arm64.Digest);
        Assert.Equal("linux/arm64/v8", arm64.Platform!.ToString());
        Assert.Equal("3.20.2", arm64.OsVersion);
        Assert.Equal(65534, arm64.User!.Uid);
        Assert.Equal("nogroup", arm64.User.GroupName);

        var missing = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(reference, new ImageInspectionOptions { Platform = ImagePlatform.Parse("linux/s390x") }));
        Assert.Equal(RegistryErrorKind.PlatformNotFound, missing.Kind);
        Assert.DoesNotContain("unknown", missing.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ReadsDockerSchema2ImagesAndNamedUsers()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/schema2:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(MediaTypes.DockerManifest, info.MediaType);
        Assert.Equal(fixture.Schema2.Manifest.Digest, info.Digest);
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Equal(1000, info.User.Uid);
        Assert.Equal(100, info.User.Gid);
        Assert.Equal("users", info.User.GroupName);
        Assert.True(info.User.Resolved);
    }

    [SkippableFact]
    public async Task ReadsDockerManifestLists()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/dockerlist:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(MediaTypes.DockerManifestList, info.MediaType);
        Assert.Equal(fixture.DockerList.Index.Digest, info.IndexDigest);
        Assert.Equal("11", info.OsVersion);
        Assert.Equal("linux/amd64", Assert.Single(info.Platforms).ToString());
    }

    [SkippableFact]
    public async Task LayerReadsStayWithinTheByteBudget()
    {
        // 1 KiB is less than the uncompressed top layer alone (the user database must be read whole),
        // so the budget is hit whatever sizes the network reads come in. (With 64 KiB the reader
        // could settle everything within a first small read of the base layer and never reach it.)
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, LayerByteBudget = 1024 });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true }));
        Assert.Equal(RegistryErrorKind.TooLarge, error.Kind);

        // Without files the budget is not touched.
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0"));
        Assert.Equal(3, info.LayerCount);
    }

    [SkippableFact]
    public async Task PinnedDigestsAreFetchedAndMissingThingsAreNotFound()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo pinned = await inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered@" + fixture.Layered.Manifest.Digest));
        Assert.Equal(fixture.Layered.Manifest.Digest, pinned.Digest);
        Assert.Equal(fixture.Layered.Manifest.Digest, await inspector.ResolveDigestAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0")));

        var tag = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:9.9")));
        Assert.Equal(RegistryErrorKind.NotFound, tag.Kind);
        var repo = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(fixture.Server.Host + "/team/nothing:1")));
        Assert.Equal(RegistryErrorKind.NotFound, repo.Kind);
        Assert.Equal(PublicAccess.NotFound, await inspector.GetPublicAccessAsync(ImageReference.Parse(fixture.Server.Host + "/team/nothing:1")));
        Assert.Equal(PublicAccess.Public, await inspector.GetPublicAccessAsync(ImageReference.Parse(fixture.Server.Host + "/team/layered:1.0")));
    }

    [SkippableFact]
    public async Task AnUnreachableRegistryIsReportedAsSuch()
    {
        int port = Renku.PowerShell.TestSupport.FreePort.Next();
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, MaxAttempts = 2, InitialBackoff = TimeSpan.FromMilliseconds(10) });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse($"127.0.0.1:{port}/team/app:1")));
        Assert.Equal(RegistryErrorKind.Unreachable, error.Kind);
        Assert.Equal(PublicAccess.Unreachable, await inspector.GetPublicAccessAsync(ImageReference.Parse($"127.0.0.1:{port}/team/app:1")));
    }
}
