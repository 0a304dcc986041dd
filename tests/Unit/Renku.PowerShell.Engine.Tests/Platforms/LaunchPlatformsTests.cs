using Renku.PowerShell.Compliance;
using Renku.PowerShell.Platforms;
using Renku.PowerShell.RenkuApi;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Platforms;

/// <summary>Where launchers run (their class's pool platform) and whether an image offers it (rule RKC018).</summary>
public class LaunchPlatformsTests
{
    private static readonly ResourcePool[] Pools =
    {
        Pool(1, "Default", "linux/amd64", isDefault: true, (10, "small", false), (11, "medium", true)),
        Pool(2, "ARM nodes", "linux/arm64", isDefault: false, (20, "arm", true)),
    };

    private static ResourcePool Pool(int id, string name, string platform, bool isDefault, params (int Id, string Name, bool Default)[] classes) => new()
    {
        Id = id,
        Name = name,
        Platform = platform,
        IsDefault = isDefault,
        Classes = classes.Select(c => new ResourceClass { Id = c.Id, Name = c.Name, IsDefault = c.Default, PoolId = id, PoolName = name, Platform = platform }).ToList(),
    };

    private static SessionLauncher Launcher(string name, int? classId, string type = "interactive") => new() { Id = "L-" + name, Name = name, ResourceClassId = classId, LauncherType = type };

    private static ImagePlatform[] Offered(params string[] platforms) => platforms.Select(ImagePlatform.Parse).ToArray();

    [Fact]
    public void ALauncherRunsOnItsClasssPoolAndWithoutAClassOnTheDefaultPoolsDefaultClass()
    {
        IReadOnlyList<LaunchPlatform> launches = LaunchPlatforms.Resolve(new[] { Launcher("arm", 20), Launcher("none", null), Launcher("small", 10), Launcher("gone", 99) }, Pools);

        Assert.Equal(("ARM nodes", "linux/arm64", false), (launches[0].PoolName, launches[0].Platform, launches[0].ByDefault));
        Assert.Equal(("Default", "linux/amd64", true, 11, "medium"), (launches[1].PoolName, launches[1].Platform, launches[1].ByDefault, launches[1].ResourceClassId, launches[1].ResourceClassName));
        Assert.Equal("linux/amd64", launches[2].Platform);
        Assert.Null(launches[3].Platform);
        Assert.Equal(99, launches[3].ResourceClassId);
    }

    [Fact]
    public void OnlyAPoolOfAPlatformTheImageLacksIsAMismatch()
    {
        IReadOnlyList<LaunchPlatform> launches = LaunchPlatforms.Resolve(new[] { Launcher("arm", 20), Launcher("none", null), Launcher("gone", 99) }, Pools);

        LaunchPlatform mismatch = Assert.Single(LaunchPlatforms.Mismatches(launches, Offered("linux/amd64")));
        Assert.Equal("arm", mismatch.LauncherName);

        // A multi-platform image, and pools of the image's platform, are not flagged; nor is an image of unknown platforms.
        Assert.Empty(LaunchPlatforms.Mismatches(launches, Offered("linux/amd64", "linux/arm64/v8")));
        Assert.Empty(LaunchPlatforms.Mismatches(LaunchPlatforms.Resolve(new[] { Launcher("arm", 20) }, Pools), Offered("linux/arm64")));
        Assert.Empty(LaunchPlatforms.Mismatches(launches, Array.Empty<ImagePlatform>()));

        // arm64-only image on the default (amd64) pool by default.
        LaunchPlatform byDefault = Assert.Single(LaunchPlatforms.Mismatches(LaunchPlatforms.Resolve(new[] { Launcher("none", null) }, Pools), Offered("linux/arm64")));
        Assert.True(byDefault.ByDefault);
    }

    [Fact]
    public void TheRuleFailsAMismatchWithItsRemedyAndPassesOrSkipsOtherwise()
    {
        IReadOnlyList<LaunchPlatform> launches = LaunchPlatforms.Resolve(new[] { Launcher("On ARM", 20), Launcher("Default", null) }, Pools);
        ComplianceResult Check(IReadOnlyList<LaunchPlatform>? with, params string[] renkuPlatforms) => ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Launches = with,
            PlatformCheck = new PlatformImageCheck { Image = "team/lab:1.0", Accessible = true, Platforms = renkuPlatforms },
        }).Results.Single(r => r.RuleId == "RKC018");

        // No image read: the platforms come from Renku's pull check.
        ComplianceResult failed = Check(launches, "linux/amd64");
        Assert.Equal(ComplianceOutcome.Fail, failed.Outcome);
        Assert.Equal(ComplianceSeverity.Error, failed.Severity);
        Assert.Contains("launcher 'On ARM' runs on the pool 'ARM nodes' (linux/arm64)", failed.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'Default'", failed.Message, StringComparison.Ordinal);
        Assert.Contains("move the launcher", failed.Remedy, StringComparison.Ordinal);
        Assert.Contains("Add", failed.Remedy, StringComparison.Ordinal);

        Assert.Equal(ComplianceOutcome.Pass, Check(launches, "linux/amd64", "linux/arm64").Outcome);
        Assert.Equal(ComplianceOutcome.Skip, Check(null, "linux/amd64").Outcome);
        Assert.Equal(ComplianceOutcome.Skip, Check(launches).Outcome);
        Assert.Equal(ComplianceOutcome.Skip, Check(Array.Empty<LaunchPlatform>(), "linux/amd64").Outcome);
    }
}
