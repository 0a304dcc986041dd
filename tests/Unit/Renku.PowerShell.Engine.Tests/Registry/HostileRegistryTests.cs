using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;

using Renku.PowerShell.Engine.Tests.Http;
using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>
/// The registry client against a registry that holds its client on purpose: it never answers,
/// never ends its headers, drips a body or stops halfway. Each must end with a timeout error
/// within the bounds, and a request that ran out of time is not asked again.
/// </summary>
public sealed class HostileRegistryTests : IClassFixture<HostileRegistryTests.WarmClient>
{
    private static readonly byte[] Junk = Encoding.ASCII.GetBytes(new string('x', 4096));

    private static ImageInspector Inspector(HttpTimeouts timeouts) => new(new RegistryClientOptions { UseDockerConfig = false, Timeouts = timeouts, InitialBackoff = TimeSpan.FromMilliseconds(10) });

    [Fact]
    public async Task ARegistryThatNeverAnswersTimesOutOnceAndIsNotAskedAgain()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.NeverAnswer());
        (RegistryException error, TimeSpan elapsed) = await InspectAsync(registry, HostileBounds.Short);
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        Assert.InRange(elapsed, HostileBounds.Short.ResponseHeaders * 0.9, HostileBounds.Short.ResponseHeaders + HostileBounds.Slack);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task HeadersThatNeverEndTimeOut()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.EndlessHeaders(TimeSpan.FromMilliseconds(50)));
        (RegistryException error, TimeSpan elapsed) = await InspectAsync(registry, HostileBounds.Short);
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        Assert.InRange(elapsed, HostileBounds.Short.ResponseHeaders * 0.9, HostileBounds.Short.ResponseHeaders + HostileBounds.Slack);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task AManifestDrippedAByteAtATimeFallsBelowTheLowSpeedLimit()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.Drip(Junk, TimeSpan.FromMilliseconds(20), ManifestHeaders));
        (RegistryException error, TimeSpan elapsed) = await InspectAsync(registry, HostileBounds.Short);
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        // Which half of the rule ends it (the rate over the window, or a gap the loaded machine put between two drips) is the scheduler's choice; the rate half alone is proven in LowSpeedGuardStreamTests.
        Assert.Contains("too slowly", error.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, HostileBounds.Short.LowSpeedTime * 0.9, HostileBounds.Short.LowSpeedTime + HostileBounds.Slack);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task AManifestThatStopsHalfwayTimesOut()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.StallMidBody(Junk, 100, ManifestHeaders));
        (RegistryException error, TimeSpan elapsed) = await InspectAsync(registry, HostileBounds.Short);
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        Assert.Contains("no data", error.Message, StringComparison.Ordinal);
        Assert.InRange(elapsed, HostileBounds.Short.LowSpeedTime * 0.9, HostileBounds.Short.LowSpeedTime + HostileBounds.Slack);
    }

    [Fact]
    public async Task ALayerThatStopsHalfwayTimesOutInsteadOfStartingOver()
    {
        var (manifest, config, configDigest, layer, layerDigest) = SmallImage();
        using HostileHttpServer registry = HostileHttpServer.Start(request =>
            request.Path.Contains("/manifests/", StringComparison.Ordinal) ? HostileReply.Answer(200, manifest, ManifestHeaders)
            : request.Path.EndsWith(configDigest, StringComparison.Ordinal) ? HostileReply.Answer(200, config)
            : HostileReply.StallMidBody(layer, 1000));
        using ImageInspector inspector = Inspector(HostileBounds.Short);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(registry.Host + "/team/app:1.0"), new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false }));
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        Assert.InRange(clock.Elapsed, HostileBounds.Short.LowSpeedTime * 0.9, HostileBounds.Short.LowSpeedTime + HostileBounds.Slack);
        Assert.Single(registry.Requests, r => r.Path.EndsWith(layerDigest, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheWholeOperationIsBoundedWhenEveryRequestIsSlowButWithinItsOwnBounds()
    {
        // Every tag page answers in 200 ms and links to one more: no request is late, the listing never ends.
        int page = 0;
        using HostileHttpServer registry = HostileHttpServer.Start(_ =>
        {
            int next = Interlocked.Increment(ref page);
            return HostileReply.Answer(
                200,
                Encoding.UTF8.GetBytes($"{{\"name\":\"team/app\",\"tags\":[\"1.{next}\"]}}"),
                new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Link"] = $"</v2/team/app/tags/list?n=1000&last=1.{next}>; rel=\"next\"" }).After(TimeSpan.FromMilliseconds(200));
        });
        HttpTimeouts timeouts = HttpTimeouts.Default.WithOperation(TimeSpan.FromSeconds(2));
        using ImageInspector inspector = Inspector(timeouts);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.ListTagsAsync(registry.Host + "/team/app"));
        Assert.Equal(RegistryErrorKind.TimedOut, error.Kind);
        Assert.Contains("did not finish within 2 s", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.8), TimeSpan.FromSeconds(2) + HostileBounds.Slack);
        Assert.True(registry.Requests.Count >= 3, $"{registry.Requests.Count} pages were read");
    }

    [Fact]
    public void AShortOperationBoundShortensEveryRequestBoundButNotTheRate()
    {
        HttpTimeouts capped = HttpTimeouts.Default.WithOperation(TimeSpan.FromSeconds(5));
        Assert.Equal((TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 1024L), (capped.Connect, capped.ResponseHeaders, capped.LowSpeedTime, capped.Operation, capped.LowSpeedLimit));
        HttpTimeouts longer = HttpTimeouts.Default.WithOperation(TimeSpan.FromHours(1));
        Assert.Equal((TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)), (longer.Connect, longer.ResponseHeaders, longer.LowSpeedTime, longer.Operation));
        Assert.Throws<ArgumentOutOfRangeException>(() => HttpTimeouts.Default.WithOperation(TimeSpan.Zero));
    }

    [Theory]
    [InlineData("{\"token\":\"abc\\r\\nX-Injected: 1\"}", "line break")]
    [InlineData("[\"abc\"]", "not an object")]
    public async Task AHostileTokenServiceAnswerIsRefused(string answer, string said)
    {
        using HostileHttpServer registry = HostileHttpServer.Start(request =>
            request.Path == "/token"
                ? HostileReply.Answer(200, Encoding.UTF8.GetBytes(answer), new Dictionary<string, string> { ["Content-Type"] = "application/json" })
                : HostileReply.Answer(401, Array.Empty<byte>(), new Dictionary<string, string> { ["WWW-Authenticate"] = $"Bearer realm=\"http://127.0.0.1:{request.Header("Host")!.Split(':')[1]}/token\",service=\"hostile\"" }));
        using ImageInspector inspector = Inspector(HostileBounds.Short);
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.ResolveDigestAsync(ImageReference.Parse(registry.Host + "/team/app:1.0")));
        Assert.Equal(RegistryErrorKind.InvalidResponse, error.Kind);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(registry.Requests, r => r.Header("Authorization")?.Contains("abc", StringComparison.Ordinal) == true);
    }

    /// <summary>An image of one layer that holds /etc/passwd: its manifest, config and layer, with their digests.</summary>
    private static (byte[] Manifest, byte[] Config, string ConfigDigest, byte[] Layer, string LayerDigest) SmallImage()
    {
        byte[] layer = TarWithOneFile("etc/passwd", RandomNumberGenerator.GetBytes(64 * 1024));
        string layerDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(layer));
        byte[] config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + layerDigest + "\"]}}");
        string configDigest = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(config));
        byte[] manifest = Encoding.UTF8.GetBytes(
            "{\"schemaVersion\":2,\"mediaType\":\"" + MediaTypes.OciManifest + "\",\"config\":{\"mediaType\":\"" + MediaTypes.OciConfig + "\",\"digest\":\"" + configDigest + "\",\"size\":" + config.Length
            + "},\"layers\":[{\"mediaType\":\"" + MediaTypes.OciLayerTar + "\",\"digest\":\"" + layerDigest + "\",\"size\":" + layer.Length + "}]}");
        return (manifest, config, configDigest, layer, layerDigest);
    }

    /// <summary>
    /// The bounds under test are a second or two, and several tests need well-behaved requests to
    /// finish within them before the hostile one. The first use of the registry client in a process
    /// compiles it, which on a loaded machine takes longer than that: this does it first, once,
    /// with the default bounds (an inspection that reads a layer, and a tag listing).
    /// </summary>
    public sealed class WarmClient : IAsyncLifetime
    {
        public async Task InitializeAsync()
        {
            var (manifest, config, configDigest, layer, _) = SmallImage();
            using HostileHttpServer registry = HostileHttpServer.Start(request =>
                request.Path.Contains("/manifests/", StringComparison.Ordinal) ? HostileReply.Answer(200, manifest, ManifestHeaders)
                : request.Path.Contains("/tags/list", StringComparison.Ordinal) ? HostileReply.Answer(200, Encoding.UTF8.GetBytes("{\"name\":\"team/app\",\"tags\":[\"1.0\"]}"), new Dictionary<string, string> { ["Content-Type"] = "application/json" })
                : request.Path.EndsWith(configDigest, StringComparison.Ordinal) ? HostileReply.Answer(200, config)
                : HostileReply.Answer(200, layer));
            using ImageInspector inspector = Inspector(HttpTimeouts.Default);
            await inspector.InspectAsync(ImageReference.Parse(registry.Host + "/team/app:1.0"), new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false });
            await inspector.ListTagsAsync(registry.Host + "/team/app");
        }

        public Task DisposeAsync() => Task.CompletedTask;
    }

    private static byte[] TarWithOneFile(string name, byte[] content)
    {
        using var tar = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(tar, leaveOpen: true))
        {
            writer.WriteEntry(new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, name) { DataStream = new MemoryStream(content) });
        }

        return tar.ToArray();
    }

    private static IReadOnlyDictionary<string, string> ManifestHeaders => new Dictionary<string, string> { ["Content-Type"] = MediaTypes.OciManifest };

    private static async Task<(RegistryException Error, TimeSpan Elapsed)> InspectAsync(HostileHttpServer registry, HttpTimeouts timeouts)
    {
        using ImageInspector inspector = Inspector(timeouts);
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(registry.Host + "/team/app:1.0")));
        return (error, clock.Elapsed);
    }
}
