using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

public class TagListingTests
{
    [SkippableFact]
    public async Task FollowsPaginationPastAThousandTagsAndSortsVersionsFirst()
    {
        using RegistryServer registry = RegistryServer.Start();
        using (var pusher = new RegistryPusher(registry.BaseUri))
        {
            TestImage image = SampleImages.Small("linux/amd64");
            pusher.Push("team/many", "latest", image);
            var names = Enumerable.Range(0, 1030).Select(i => $"build-{i:D4}")
                .Concat(new[] { "1.2.0", "v1.10.0", "1.9.3", "2.0.0-rc.1", "2.0.0", "0a1b2c3d", "amd64-0a1b2c3", "3.12-slim" });
            foreach (string name in names)
            {
                pusher.PushManifest("team/many", name, image.Manifest);
            }
        }

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        IReadOnlyList<ImageTag> tags = await inspector.ListTagsAsync(registry.Host + "/team/many");

        Assert.Equal(1030 + 9, tags.Count);
        Assert.Equal(tags.Count, tags.Select(t => t.Name).Distinct().Count());
        // Versions first, newest first (a suffixed version reads as its version, in its own stream), then the rest.
        Assert.Equal(new[] { "3.12-slim", "2.0.0", "2.0.0-rc.1", "v1.10.0", "1.9.3", "1.2.0" }, tags.Take(6).Select(t => t.Name));
        Assert.Equal(TagKind.SemverWithSuffix, tags[0].Kind);
        Assert.Equal(TagKind.Semver, tags[1].Kind);
        Assert.Equal("1.10.0", tags[3].Version!.ToNormalizedString());
        Assert.Equal("3.12.0", tags[0].Version!.ToNormalizedString());
        Assert.All(tags.Skip(6), t => Assert.Null(t.Version));
        Assert.Equal(TagKind.CommitSha, tags.Single(t => t.Name == "0a1b2c3d").Kind);
        Assert.Equal(TagKind.ArchPrefixed, tags.Single(t => t.Name == "amd64-0a1b2c3").Kind);
        Assert.Equal(TagKind.Latest, tags.Single(t => t.Name == "latest").Kind);
        Assert.Null(tags.Single(t => t.Name == "build-0999").Version);
        Assert.Equal(registry.Host + "/team/many", tags[0].Repository);
    }

    [SkippableFact]
    public async Task ConcurrentListingsShareOneInspector()
    {
        using RegistryServer registry = RegistryServer.Start();
        using (var pusher = new RegistryPusher(registry.BaseUri))
        {
            TestImage image = SampleImages.Small("linux/amd64");
            for (int repo = 0; repo < 6; repo++)
            {
                pusher.Push($"team/r{repo}", "1.0." + repo, image);
                pusher.PushManifest($"team/r{repo}", "latest", image.Manifest);
            }
        }

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(repo => inspector.ListTagsAsync(registry.Host + $"/team/r{repo}")));
        for (int repo = 0; repo < 6; repo++)
        {
            Assert.Equal(new[] { "1.0." + repo, "latest" }, results[repo].Select(t => t.Name));
        }

        var missing = await Assert.ThrowsAsync<RegistryException>(() => inspector.ListTagsAsync(registry.Host + "/team/none"));
        Assert.Equal(RegistryErrorKind.NotFound, missing.Kind);
    }
}
