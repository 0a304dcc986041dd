using Renku.PowerShell.Buildpacks;
using Renku.PowerShell.Builds;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Builds;

public class PackArgumentsTests
{
    [Fact]
    public void DefaultsUseRenkusPinnedBuilderAndRunImage()
    {
        var request = new PackBuildRequest("/src/app", "jupyterlab", new[] { "registry.example.org/team/app:1.0" });
        Assert.Equal(
            new[]
            {
                "build", "registry.example.org/team/app:1.0", "--path", "/src/app",
                "--builder", "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/selector:0.9.1",
                "--run-image", "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/run-image:0.9.1",
                "--env", "BP_RENKU_FRONTENDS=jupyterlab", "--no-color",
            },
            PackArguments.For(request).ToArray());
    }

    [Fact]
    public void EverythingOptionalIsPassedInAStableOrder()
    {
        var request = new PackBuildRequest("/src/app", "rstudio", new[] { "r.example.org/a:1", "r.example.org/a:latest" })
        {
            Builder = "b:1",
            RunImage = "r:1",
            Publish = true,
            Platform = "linux/arm64",
            Environment = new Dictionary<string, string> { ["Z"] = "last", ["A"] = "first=1" },
        };
        Assert.Equal(
            new[]
            {
                "build", "r.example.org/a:1", "--path", "/src/app", "--builder", "b:1", "--run-image", "r:1",
                "--env", "BP_RENKU_FRONTENDS=rstudio", "--env", "A=first=1", "--env", "Z=last",
                "--tag", "r.example.org/a:latest", "--platform", "linux/arm64", "--publish", "--no-color",
            },
            PackArguments.For(request).ToArray());
    }

    /// <summary>
    /// The builder configuration copy in ../shared (release 0.8.0, the newest whose configuration
    /// was read) names the frontends and the default the module uses; the default release itself is
    /// the one PLATFORM.md gives for Renku's own builds (0.9.1 from Renku 2.19.2), newer than the copy.
    /// </summary>
    [Fact]
    public void TheDefaultsFollowTheBuilderRenkuPublishesAndUses()
    {
        string toml = File.ReadAllText(Path.Combine(TestSupport.RepoPaths.Shared, "renku", "images", "selector-builder.toml"));
        Assert.All(RenkuBuildpacks.Frontends, f => Assert.Contains("renku/" + f + "\"", toml, StringComparison.Ordinal));
        Assert.Matches("name = \"" + RenkuBuildpacks.FrontendVariable + "\"\\s+value = \"" + RenkuBuildpacks.DefaultFrontend + "\"", toml);

        string platform = File.ReadAllText(Path.Combine(TestSupport.RepoPaths.Shared, "renku", "PLATFORM.md"));
        Assert.Contains("`selector:" + RenkuBuildpacks.Version + "` + `run-image:" + RenkuBuildpacks.Version + "` from 2.19.2", platform, StringComparison.Ordinal);
        Assert.Contains("`selector:" + RenkuBuildpacks.GlobalImagesVersion + "` + `run-image:" + RenkuBuildpacks.GlobalImagesVersion + "`", platform, StringComparison.Ordinal);
        Assert.Contains("WORKDIR `" + RenkuBuildpacks.BuiltWorkingDirectory + "`", platform, StringComparison.Ordinal);
        Assert.All(RenkuBuildpacks.BakedSessionVariables, v => Assert.Contains($"`{v.Key}={v.Value}`", platform, StringComparison.Ordinal));
    }

    [Fact]
    public void AMissingPackIsReportedWithHowToInstallIt()
    {
        var ex = Assert.Throws<ImageBuildException>(() => PackLocator.Find(null, "/nonexistent-a" + Path.PathSeparator + "/nonexistent-b"));
        Assert.Equal(ImageBuildFailure.PackNotFound, ex.Failure);
        Assert.Contains("buildpacks.io", ex.Message, StringComparison.Ordinal);
    }
}
