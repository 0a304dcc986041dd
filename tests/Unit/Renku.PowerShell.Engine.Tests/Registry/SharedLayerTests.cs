using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>
/// One inspector reads a layer shared by several images once, also when the images are read
/// at the same time, and reads an image config once; partial reads stay with their registry.
/// </summary>
public sealed class SharedLayerTests : IClassFixture<SharedLayerTests.Fixture>
{
    private readonly Fixture fixture;

    public SharedLayerTests(Fixture fixture)
    {
        this.fixture = fixture;
    }

    [SkippableFact]
    public async Task ASharedBaseLayerIsDownloadedOncePerInspector()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri);
        using var inspector = NewInspector();

        ImageInfo first = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/app0:1"), new ImageInspectionOptions { ReadFiles = true });
        ImageInfo second = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/app1:1"), new ImageInspectionOptions { ReadFiles = true });

        Assert.Equal(1, BlobGets(proxy, fixture.Base.Digest));
        foreach (ImageInfo info in new[] { first, second })
        {
            Assert.True(info.User!.Resolved, info.User.Problem);
            Assert.Equal(1000, info.User.Uid);
            Assert.Equal(1000, info.User.Gid);
            Assert.Equal("debian", info.OsId);
            ImageFile passwd = info.Files.Single(f => f.Path == "/etc/passwd");
            Assert.Equal(0, passwd.LayerIndex);
            Assert.Equal(fixture.Base.Digest, passwd.LayerDigest);
            Assert.True(passwd.LayerVerified);
        }

        // The second image's own top layer was still read.
        Assert.Equal(1, BlobGets(proxy, fixture.Apps[1].Layers[1].Digest));
    }

    [SkippableFact]
    public async Task ConcurrentReadersWaitForTheOneAlreadyReadingALayer()
    {
        // Blob answers are held back so that every image wants the base layer while it is in flight.
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.IsBlob)
            {
                await Task.Delay(200, f.Stopping);
            }

            return false;
        });
        using var inspector = NewInspector();

        ImageInfo[] infos = await Task.WhenAll(fixture.Apps.Select((_, i) =>
            inspector.InspectAsync(ImageReference.Parse($"{proxy.Host}/shared/app{i}:1"), new ImageInspectionOptions { ReadFiles = true })));

        Assert.Equal(1, BlobGets(proxy, fixture.Base.Digest));
        Assert.All(infos, info =>
        {
            Assert.Equal(1000, info.User!.Uid);
            Assert.Equal("12", info.OsVersion);
        });
    }

    [SkippableFact]
    public async Task ALayerSharedAtAnotherHeightKeepsThatImagesLayerIndex()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri);
        using var inspector = NewInspector();

        await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/app0:1"), new ImageInspectionOptions { ReadFiles = true });
        ImageInfo raised = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/raised:1"), new ImageInspectionOptions { ReadFiles = true });

        Assert.Equal(1, BlobGets(proxy, fixture.Base.Digest));
        ImageFile passwd = raised.Files.Single(f => f.Path == "/etc/passwd");
        Assert.Equal(1, passwd.LayerIndex);
        Assert.Equal(fixture.Base.Digest, passwd.LayerDigest);
        Assert.Equal(1000, raised.User!.Uid);
    }

    [SkippableFact]
    public async Task AVerifiedLayerIsSharedAcrossRegistriesAPartialOneIsNot()
    {
        using FaultProxy one = FaultProxy.Start(fixture.Server.BaseUri);
        using FaultProxy other = FaultProxy.Start(fixture.Server.BaseUri, hostName: "localhost");
        using var inspector = NewInspector();

        // The big base of "partial" is left after os-release (passwd is in the top layer).
        ImageInfo partial = await inspector.InspectAsync(ImageReference.Parse(one.Host + "/shared/partial:1"), new ImageInspectionOptions { ReadFiles = true });
        Assert.False(partial.Files.Single(f => f.Path == "/etc/os-release").LayerVerified);
        await inspector.InspectAsync(ImageReference.Parse(one.Host + "/shared/partial:1"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(1, BlobGets(one, fixture.BigBase.Digest));

        ImageInfo elsewhere = await inspector.InspectAsync(ImageReference.Parse(other.Host + "/shared/partial:1"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(1, BlobGets(other, fixture.BigBase.Digest));
        Assert.Equal("debian", elsewhere.OsId);

        // A layer read to its end and matched to its digest needs no second download, wherever it is.
        await inspector.InspectAsync(ImageReference.Parse(one.Host + "/shared/app0:1"), new ImageInspectionOptions { ReadFiles = true });
        ImageInfo verifiedElsewhere = await inspector.InspectAsync(ImageReference.Parse(other.Host + "/shared/app1:1"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(0, BlobGets(other, fixture.Base.Digest));
        Assert.Equal(1000, verifiedElsewhere.User!.Uid);
    }

    [SkippableFact]
    public async Task AnImageConfigIsReadOncePerInspectorTheManifestEveryTime()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri);
        using var inspector = NewInspector();

        for (int i = 0; i < 3; i++)
        {
            await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/app2:1"));
        }

        Assert.Equal(1, BlobGets(proxy, fixture.Apps[2].Config.Digest));
        Assert.Equal(3, proxy.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.EndsWith("/manifests/1", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task SeparateInspectorsShareNothing()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri);
        for (int i = 0; i < 2; i++)
        {
            using var inspector = NewInspector();
            await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/shared/app0:1"), new ImageInspectionOptions { ReadFiles = true });
        }

        Assert.Equal(2, BlobGets(proxy, fixture.Base.Digest));
    }

    private static ImageInspector NewInspector() => new(new RegistryClientOptions { UseDockerConfig = false });

    private static int BlobGets(FaultProxy proxy, string digest) =>
        proxy.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.EndsWith("/blobs/" + digest, StringComparison.Ordinal));

    public sealed class Fixture : IDisposable
    {
        private readonly Lazy<RegistryServer> server;

        public Fixture()
        {
            server = new Lazy<RegistryServer>(() =>
            {
                RegistryServer started = RegistryServer.Start();
                using var pusher = new RegistryPusher(started.BaseUri);
                LayerBuilder system = SystemLayer();
                var apps = new List<TestImage>();
                for (int i = 0; i < 6; i++)
                {
                    TestImage app = TestImage.Create(
                        new[] { (system, LayerCompression.Gzip), (new LayerBuilder().File("/opt/app", "app " + i), LayerCompression.Gzip) },
                        new TestImageConfig { User = "1000", Labels = new() { ["n"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) } });
                    pusher.Push($"shared/app{i}", "1", app);
                    apps.Add(app);
                }

                Apps = apps;
                Base = apps[0].Layers[0];
                pusher.Push("shared/raised", "1", TestImage.Create(
                    new[] { (new LayerBuilder().File("/opt/lower", "lower"), LayerCompression.Gzip), (system, LayerCompression.Gzip), (new LayerBuilder().File("/opt/app", "raised"), LayerCompression.Gzip) },
                    new TestImageConfig { User = "1000" }));

                // os-release first, then 2 MiB of incompressible data; the user database is two
                // layers up, so the base is searched from below and left after os-release.
                byte[] padding = new byte[2 * 1024 * 1024];
                new Random(7).NextBytes(padding);
                var bigBase = new LayerBuilder()
                    .Directory("/etc")
                    .File("/etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
                    .File("/var/padding.bin", padding);
                TestImage partial = TestImage.Create(
                    new[] { (bigBase, LayerCompression.Gzip), (new LayerBuilder().File("/opt/middle", "m"), LayerCompression.Gzip), (new LayerBuilder().Directory("/etc").File("/etc/passwd", "renku:x:1000:1000::/home/renku:/bin/bash\n").File("/etc/group", "renku:x:1000:\n"), LayerCompression.Gzip) },
                    new TestImageConfig { User = "1000" });
                pusher.Push("shared/partial", "1", partial);
                BigBase = partial.Layers[0];
                return started;
            });
        }

        public RegistryServer Server => server.Value;

        public IReadOnlyList<TestImage> Apps { get; private set; } = Array.Empty<TestImage>();

        public OciBlob Base { get; private set; } = null!;

        public OciBlob BigBase { get; private set; } = null!;

        public void Dispose()
        {
            if (server.IsValueCreated)
            {
                server.Value.Dispose();
            }
        }

        private static LayerBuilder SystemLayer() => new LayerBuilder()
            .Directory("/etc")
            .File("/etc/os-release", "PRETTY_NAME=\"Debian GNU/Linux 12\"\nID=debian\nVERSION_ID=\"12\"\n")
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\nrenku:x:1000:1000::/home/renku:/bin/bash\n")
            .File("/etc/group", "root:x:0:\nrenku:x:1000:\n");
    }
}

/// <summary>The cache itself: waiting, failure, copies and its bound.</summary>
public sealed class LayerRecordCacheTests
{
    [Fact]
    public async Task AWaiterIsReleasedWhenTheReaderFindsNothingToShare()
    {
        var cache = new LayerRecordCache();
        (LayerRecord? none, bool owner) = await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None);
        Assert.Null(none);
        Assert.True(owner);

        Task<(LayerRecord? Record, bool Owner)> waiting = cache.AcquireAsync("reg", "sha256:a", 3, CancellationToken.None);
        Assert.False(waiting.IsCompleted);
        cache.Publish("reg", "sha256:a", null);
        (LayerRecord? record, bool secondOwner) = await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(record);
        Assert.False(secondOwner);

        // Nothing is in flight any more: the next reader reads.
        Assert.True((await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None)).Owner);
    }

    [Fact]
    public async Task AWaiterCanBeCancelled()
    {
        var cache = new LayerRecordCache();
        await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cache.AcquireAsync("reg", "sha256:a", 0, cancel.Token));
    }

    [Fact]
    public async Task ReadersGetCopiesAtTheirOwnHeight()
    {
        var cache = new LayerRecordCache();
        await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None);
        var seen = new LayerRecord(0, "sha256:a") { Complete = true, Verified = true };
        seen.Entries["etc/passwd"] = new LayerEntry(LayerEntryKind.File, 4, null, "x:1\n"u8.ToArray());
        cache.Publish("reg", "sha256:a", seen);
        seen.Entries.Clear();

        (LayerRecord? copy, bool owner) = await cache.AcquireAsync("other", "sha256:a", 5, CancellationToken.None);
        Assert.False(owner);
        Assert.Equal(5, copy!.Index);
        Assert.True(copy.Entries.ContainsKey("etc/passwd"));
        copy.Entries.Clear();
        Assert.True((await cache.AcquireAsync("reg", "sha256:a", 1, CancellationToken.None)).Record!.Entries.ContainsKey("etc/passwd"));
        Assert.Equal(2, cache.Hits);
    }

    [Fact]
    public async Task AnUnverifiedRecordStaysWithItsRegistry()
    {
        var cache = new LayerRecordCache();
        await cache.AcquireAsync("one", "sha256:a", 0, CancellationToken.None);
        cache.Publish("one", "sha256:a", new LayerRecord(0, "sha256:a") { Complete = false });

        Assert.NotNull((await cache.AcquireAsync("one", "sha256:a", 0, CancellationToken.None)).Record);
        (LayerRecord? none, bool owner) = await cache.AcquireAsync("two", "sha256:a", 0, CancellationToken.None);
        Assert.Null(none);
        Assert.True(owner);
        cache.Publish("two", "sha256:a", null);
    }

    [Fact]
    public async Task TheLeastRecentlyUsedLayerMakesRoom()
    {
        var cache = new LayerRecordCache(entryBudget: 25);
        foreach (string digest in new[] { "sha256:a", "sha256:b", "sha256:c" })
        {
            await cache.AcquireAsync("reg", digest, 0, CancellationToken.None);
            var record = new LayerRecord(0, digest) { Complete = true, Verified = true };
            for (int i = 0; i < 9; i++)
            {
                record.Entries["f" + i] = new LayerEntry(LayerEntryKind.File, 0, null, null);
            }

            cache.Publish("reg", digest, record);
            if (digest == "sha256:b")
            {
                // a is used again, so b is now the oldest.
                Assert.NotNull((await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None)).Record);
            }
        }

        Assert.NotNull((await cache.AcquireAsync("reg", "sha256:a", 0, CancellationToken.None)).Record);
        Assert.NotNull((await cache.AcquireAsync("reg", "sha256:c", 0, CancellationToken.None)).Record);
        Assert.True((await cache.AcquireAsync("reg", "sha256:b", 0, CancellationToken.None)).Owner);
    }
}
