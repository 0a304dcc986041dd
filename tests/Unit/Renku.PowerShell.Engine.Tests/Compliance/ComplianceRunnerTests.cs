using Renku.PowerShell.Compliance;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.Registry;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>
/// Many checks of one run: an image that several jobs check at the same moment is read from its
/// registry once and Renku is asked about it once, and reports come back in input order.
/// </summary>
public sealed class ComplianceRunnerTests : FakeRenkuApiTests
{
    private RegistryServer? registry;

    protected override void DisposeParts() => registry?.Dispose();

    [SkippableFact]
    public async Task JobsStartingTogetherOnOneImageShareOneReadAndOnePullCheck()
    {
        registry = RegistryServer.Start();
        using (var pusher = new RegistryPusher(registry.BaseUri))
        {
            TestImage image = TestImage.Create(
                new[] { (new LayerBuilder().Directory("/etc").File("/etc/passwd", "renku:x:1000:1000::/home/renku:/bin/sh\n").File("/etc/group", "renku:x:1000:\n"), LayerCompression.Gzip) },
                new TestImageConfig { User = "1000" });
            pusher.Push("team/same", "1", image);
            pusher.Push("team/other", "1", image);
        }

        // Manifests are held back so that every job is under way before the first read ends.
        using FaultProxy proxy = FaultProxy.Start(registry.BaseUri, async f =>
        {
            if (f.IsManifest)
            {
                await Task.Delay(300, f.Stopping);
            }

            return false;
        });
        string same = proxy.Host + "/team/same:1";
        string other = proxy.Host + "/team/other:1";
        RenkuApiClient platform = await ClientAsync();
        var jobs = Enumerable.Range(0, 8)
            .Select(i => new ComplianceJob
            {
                Image = i == 5 ? other : same,
                Settings = new SessionSettings { Port = 8000 + i },
                Platform = platform,
            })
            .ToList();

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var order = new List<int>();
        var reports = new ComplianceReport?[jobs.Count];
        await new ComplianceRunner(inspector).CheckAllAsync(
            jobs,
            jobs.Count,
            (index, report, failure) =>
            {
                Assert.Null(failure);
                order.Add(index);
                reports[index] = report;
            },
            null,
            CancellationToken.None);

        Assert.Equal(Enumerable.Range(0, jobs.Count), order);
        Assert.All(reports, r => Assert.NotNull(r));
        Assert.Equal(1, proxy.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == "/v2/team/same/manifests/1"));
        Assert.Equal(1, proxy.Requests.Count(r => r.Method == "GET" && r.PathAndQuery == "/v2/team/other/manifests/1"));
        string[] asked = server.Data.Requests.Where(r => r.StartsWith("GET /sessions/images", StringComparison.Ordinal)).ToArray();
        Assert.True(asked.Length == 2, string.Join("\n", asked));
    }
}
