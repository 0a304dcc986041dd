using System.Diagnostics;
using System.Text;

using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>The client against a registry behind a proxy that fails on purpose.</summary>
public class FaultTests : IClassFixture<PlainRegistryFixture>
{
    private readonly PlainRegistryFixture fixture;

    public FaultTests(PlainRegistryFixture fixture)
    {
        this.fixture = fixture;
    }

    private static ImageInspector Inspector(int attempts = 4) => new(new RegistryClientOptions
    {
        UseDockerConfig = false,
        MaxAttempts = attempts,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
    });

    [SkippableFact]
    public async Task A429IsRetriedAfterTheTimeRetryAfterAsksFor()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.IsManifest && f.PreviousRequests == 0)
            {
                await f.RespondAsync(429, new Dictionary<string, string> { ["Retry-After"] = "1" });
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        var clock = Stopwatch.StartNew();
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0"));
        Assert.Equal(fixture.Layered.Manifest.Digest, info.Digest);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.9), $"retried after {clock.Elapsed}");
        Assert.Equal(2, proxy.Requests.Count(r => r.Method == "GET" && r.PathAndQuery.Contains("/manifests/1.0", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task ALasting429GivesUpWithinTheAttemptBound()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            await f.RespondAsync(429, new Dictionary<string, string> { ["Retry-After"] = "0" });
            return true;
        });
        using ImageInspector inspector = Inspector(attempts: 3);
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0")));
        Assert.Equal(RegistryErrorKind.RateLimited, error.Kind);
        Assert.Equal(3, proxy.Requests.Count);

        // A Retry-After longer than the whole wait budget is not waited for.
        using FaultProxy slow = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            await f.RespondAsync(503, new Dictionary<string, string> { ["Retry-After"] = "3600" });
            return true;
        });
        var clock = Stopwatch.StartNew();
        var unavailable = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(slow.Host + "/team/layered:1.0")));
        Assert.Equal(RegistryErrorKind.Unreachable, unavailable.Kind);
        Assert.Equal(503, unavailable.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5));
    }

    [SkippableFact]
    public async Task A500IsRetriedAndThenSucceeds()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.PreviousRequests == 0 && (f.IsBlob || f.IsManifest))
            {
                await f.RespondAsync(500);
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Equal("debian", info.OsId);
    }

    [SkippableFact]
    public async Task ABlobWhoseConnectionDropsIsReadAgainFromTheStart()
    {
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.IsBlob && f.PreviousRequests == 0)
            {
                await f.ForwardCutAsync(100);
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Equal("debian", info.OsId);
        Assert.Contains(proxy.Requests, r => r.PathAndQuery.Contains(fixture.Layered.Layers[0].Digest, StringComparison.Ordinal));
        Assert.Equal(2, proxy.Requests.Count(r => r.PathAndQuery.EndsWith(fixture.Layered.Layers[0].Digest, StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task ContentThatDoesNotMatchItsDigestIsAnError()
    {
        // A config blob with other bytes.
        using FaultProxy config = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.Path.EndsWith(fixture.Layered.Config.Digest, StringComparison.Ordinal))
            {
                await f.ForwardAlteredAsync(body => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(body).Replace("1000", "0000", StringComparison.Ordinal)));
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(config.Host + "/team/layered:1.0")));
        Assert.Equal(RegistryErrorKind.DigestMismatch, error.Kind);

        // A manifest asked for by digest that comes back different.
        using FaultProxy manifest = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.IsManifest)
            {
                await f.ForwardAlteredAsync(body => body.Concat(Encoding.UTF8.GetBytes(" ")).ToArray());
                return true;
            }

            return false;
        });
        var pinned = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(manifest.Host + "/team/layered@" + fixture.Layered.Manifest.Digest)));
        Assert.Equal(RegistryErrorKind.DigestMismatch, pinned.Kind);

        // A layer read to its end whose last byte differs (the tar's zero padding, so it still parses).
        string top = fixture.Layered.Layers[2].Digest;
        using FaultProxy layer = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.Path.EndsWith(top, StringComparison.Ordinal))
            {
                await f.ForwardAlteredAsync(body =>
                {
                    byte[] copy = body.ToArray();
                    copy[^1] ^= 0x01;
                    return copy;
                });
                return true;
            }

            return false;
        });
        var altered = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(layer.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true, ExtraFiles = new[] { "/not/in/any/layer" } }));
        Assert.Equal(RegistryErrorKind.DigestMismatch, altered.Kind);
    }

    [SkippableFact]
    public async Task ARedirectToAnotherHostCarriesNoCredentials()
    {
        const string user = "carol";
        const string password = "Redirect-s3cret";
        using RegistryServer secured = RegistryServer.WithBasicAuth(user, password);
        using (var pusher = new RegistryPusher(secured.BaseUri, user, password))
        {
            pusher.Push("private/app", "1.0", SampleImages.Layered());
        }

        // The "CDN" is another host name; it gets to the registry with its own signed access.
        using FaultProxy cdn = FaultProxy.Start(secured.BaseUri, hostName: "localhost");
        cdn.UpstreamAuthorization = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        using FaultProxy front = FaultProxy.Start(secured.BaseUri, async f =>
        {
            if (f.IsBlob)
            {
                await f.RespondAsync(307, new Dictionary<string, string> { ["Location"] = $"http://{cdn.Host}{f.Context.Request.Url!.PathAndQuery}" });
                return true;
            }

            return false;
        });

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(user, password) });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(front.Host + "/private/app:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Contains(front.Requests, r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal) && r.Authorization is not null);
        Assert.NotEmpty(cdn.Requests);
        Assert.All(cdn.Requests, r => Assert.Null(r.Authorization));
    }

    [SkippableFact]
    public async Task AnOversizedManifestIsRefused()
    {
        byte[] huge = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"annotations\":{\"x\":\"" + new string('a', 5 * 1024 * 1024) + "\"}}");
        foreach (bool chunked in new[] { false, true })
        {
            using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
            {
                if (f.IsManifest)
                {
                    await f.RespondAsync(200, new Dictionary<string, string> { ["Content-Type"] = "application/vnd.oci.image.manifest.v1+json" }, huge, chunked);
                    return true;
                }

                return false;
            });
            using ImageInspector inspector = Inspector();
            var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0")));
            Assert.Equal(RegistryErrorKind.TooLarge, error.Kind);
        }
    }

    [SkippableFact]
    public async Task CancellationEndsAHungDownloadLongBeforeAnyTimeout()
    {
        // Cancelled once the download hangs (not after a guessed delay), and bounded far below the
        // 15 s and 30 s request timeouts, so it is the cancellation that ends it. The bound leaves
        // room for a loaded machine's scheduler; an idle one takes milliseconds.
        var hung = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using FaultProxy proxy = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.IsBlob && !f.Path.EndsWith(fixture.Layered.Config.Digest, StringComparison.Ordinal))
            {
                hung.TrySetResult();
                await f.HangAsync();
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        using var cancellation = new CancellationTokenSource();
        Task<ImageInfo> running = inspector.InspectAsync(ImageReference.Parse(proxy.Host + "/team/layered:1.0"), new ImageInspectionOptions { ReadFiles = true }, cancellation.Token);
        await hung.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(running.IsCompleted);
        var clock = Stopwatch.StartNew();
        cancellation.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => running);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed} to stop");
    }

    [SkippableFact]
    public async Task TagPagesFollowRelativeLinksSkipJunkAndRefuseOtherHosts()
    {
        using FaultProxy relative = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            if (f.Path.EndsWith("/tags/list", StringComparison.Ordinal) && f.PreviousRequests == 0)
            {
                await f.RespondAsync(
                    200,
                    new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Link"] = "</v2/team/layered/tags/list?n=1000&last=0.1>; rel=\"next\"" },
                    Encoding.UTF8.GetBytes("{\"name\":\"team/layered\",\"tags\":[\"0.1\",5,null,\"bad tag!\",{\"x\":1},\"0.2-beta\"]}"));
                return true;
            }

            return false;
        });
        using ImageInspector inspector = Inspector();
        IReadOnlyList<ImageTag> tags = await inspector.ListTagsAsync(relative.Host + "/team/layered");
        Assert.Equal(new[] { "1.0", "0.2-beta", "0.1" }, tags.Select(t => t.Name));
        Assert.Equal(2, relative.Requests.Count(r => r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)));

        using FaultProxy elsewhere = FaultProxy.Start(fixture.Server.BaseUri, async f =>
        {
            await f.RespondAsync(
                200,
                new Dictionary<string, string> { ["Content-Type"] = "application/json", ["Link"] = $"<http://localhost:{f.Context.Request.Url!.Port}/v2/team/layered/tags/list?last=a>; rel=\"next\"" },
                Encoding.UTF8.GetBytes("{\"name\":\"team/layered\",\"tags\":[\"a\"]}"));
            return true;
        });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.ListTagsAsync(elsewhere.Host + "/team/layered"));
        Assert.Equal(RegistryErrorKind.InvalidResponse, error.Kind);
        Assert.Single(elsewhere.Requests);
    }
}
