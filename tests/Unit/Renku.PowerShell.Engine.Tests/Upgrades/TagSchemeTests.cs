using NuGet.Versioning;

using Renku.PowerShell.Images;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

/// <summary>
/// Tag schemes met on real registries: underscore build numbers (Eclipse Temurin), prerelease
/// words beyond semver's (the JDK's early-access builds), Windows-style release and KB pairs,
/// and the status of a tag that is newest in its stream while newer streams exist.
/// </summary>
public class TagSchemeTests
{
    private static readonly Comparer<TagVersion> ReleaseOrder = Comparer<TagVersion>.Create(TagVersion.Compare);

    [Theory]
    //          tag                       kind                        shown            parts build suffix
    [InlineData("17.0.1_12", TagKind.Semver, "17.0.1_12", 3, 12, null)]
    [InlineData("17.0.1_12-jre-alpine", TagKind.SemverWithSuffix, "17.0.1_12", 3, 12, "jre-alpine")]
    [InlineData("11.0.16_8-jdk", TagKind.SemverWithSuffix, "11.0.16_8", 3, 8, "jdk")]
    [InlineData("11.0.16.1_1-jdk", TagKind.SemverWithSuffix, "11.0.16.1_1", 4, 1, "jdk")]
    [InlineData("8u_5", TagKind.Other, null, 0, null, null)]
    public void UnderscoreBuildNumbersAreVersions(string tag, TagKind kind, string? shown, int precision, int? build, string? suffix)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(shown, parsed.Version?.ToString());
        Assert.Equal(precision, parsed.Precision);
        Assert.Equal(build, parsed.Build);
        Assert.Equal(suffix, parsed.Suffix);
        Assert.False(parsed.IsPrerelease);
        Assert.Equal(kind, TagClassifier.Classify(tag));
    }

    [Theory]
    [InlineData("17.0.1_12", "17.0.1_13", -1)]
    [InlineData("17.0.1_12", "17.0.1_9", 1)]
    [InlineData("17.0.2_8", "17.0.1_12", 1)]
    [InlineData("11.0.16.1_1-jdk", "11.0.16.1_2-jdk", -1)]
    [InlineData("11.0.16.1_1-jdk", "11.0.16_8-jdk", 1)]
    [InlineData("17.0.1_12", "17.0.1_12", 0)]
    public void BuildNumbersOrderReleasesOfOneVersion(string left, string right, int sign) =>
        Assert.Equal(sign, Math.Sign(TagVersion.Compare(TagVersion.Parse(left), TagVersion.Parse(right))));

    [Fact]
    public void ABuildNumberedTagMovesAlongItsBuildsAndVersions()
    {
        string[] tags = { "17.0.1_12-jre-alpine", "17.0.1_9-jre-alpine", "17.0.1_13-jre-alpine", "17.0.2_8-jre-alpine", "17.0.2_8-jdk", "17-jre-alpine", "21.0.1_12-jre-alpine" };

        UpgradeAnalysis patch = UpgradeSelector.Analyze(TagVersion.Parse("17.0.1_12-jre-alpine"), tags, new UpgradePolicy { Level = UpgradeLevel.Patch });
        Assert.Equal("17.0.2_8-jre-alpine", patch.Candidate);
        Assert.Equal("17.0.2_8-jre-alpine", patch.NewestPatch);
        Assert.Equal("21.0.1_12-jre-alpine", patch.NewestMajor);
        Assert.Equal(UpgradeStatus.MajorAvailable, patch.Status);

        // Only the build moves: 17.0.1_13 is newer than 17.0.1_12.
        UpgradeAnalysis build = UpgradeSelector.Analyze(TagVersion.Parse("17.0.1_12-jre-alpine"), new[] { "17.0.1_12-jre-alpine", "17.0.1_13-jre-alpine", "17.0.1_9-jre-alpine" }, new UpgradePolicy());
        Assert.Equal("17.0.1_13-jre-alpine", build.Candidate);
        Assert.Equal(UpgradeStatus.PatchAvailable, build.Status);

        UpgradeAnalysis four = UpgradeSelector.Analyze(TagVersion.Parse("11.0.16.1_1-jdk"), new[] { "11.0.16.1_1-jdk", "11.0.16.1_2-jdk", "11.0.16_8-jdk" }, new UpgradePolicy());
        Assert.Equal("11.0.16.1_2-jdk", four.Candidate);
    }

    [Fact]
    public void TheTagListingOrdersBuildsNewestFirst()
    {
        string[] tags = { "17.0.1_9", "17.0.1_12", "17.0.2_8", "11.0.16.1_1", "11.0.16.1_2" };
        string[] ordered = tags.Select(t => TagVersion.Parse(t)).OrderByDescending(t => t, ReleaseOrder).Select(t => t.Tag).ToArray();
        Assert.Equal(new[] { "17.0.2_8", "17.0.1_12", "17.0.1_9", "11.0.16.1_2", "11.0.16.1_1" }, ordered);
    }

    [Theory]
    [InlineData("21-ea-32", "21-ea")]
    [InlineData("21-ea", "21-ea")]
    [InlineData("1.0.0-alpha.1", "1.0.0-alpha.1")]
    [InlineData("1.0.0-beta2", "1.0.0-beta2")]
    [InlineData("1.0-rc1", "1.0-rc1")]
    [InlineData("2.0-pre", "2.0-pre")]
    [InlineData("2.0-preview.3", "2.0-preview.3")]
    [InlineData("2.0-dev", "2.0-dev")]
    [InlineData("1.0-SNAPSHOT", "1.0-SNAPSHOT")]
    [InlineData("3.1-snapshot-20240101", "3.1-snapshot")]
    public void CommonPrereleaseWordsArePrereleases(string tag, string startsWith)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.True(parsed.IsPrerelease, $"{tag} reads as a prerelease");
        Assert.Equal(TagKind.Semver, parsed.Kind);
        Assert.Null(parsed.Suffix);
        Assert.StartsWith(startsWith, parsed.Version!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    // Words that merely start like one are streams, as before.
    [InlineData("2.10.3-devel", "devel")]
    [InlineData("1.0-early", "early")]
    [InlineData("3.12-slim", "slim")]
    public void OtherWordsStayStreams(string tag, string suffix)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.False(parsed.IsPrerelease);
        Assert.Equal(suffix, parsed.Suffix);
    }

    [Fact]
    public void EarlyAccessBuildsSeeTheNextEarlyAccessOnlyWhenPrereleasesAreAllowed()
    {
        string[] tags = { "21-ea-32", "21-ea-30", "22-ea-7", "21", "20" };
        UpgradeAnalysis allowed = UpgradeSelector.Analyze(TagVersion.Parse("21-ea-32"), tags, new UpgradePolicy { Level = UpgradeLevel.Major, AllowPrerelease = true });
        Assert.Equal("22-ea-7", allowed.Candidate);
        Assert.Equal(UpgradeStatus.MajorAvailable, allowed.Status);

        // Without prereleases the release 21 is still newer than its early-access build.
        UpgradeAnalysis stable = UpgradeSelector.Analyze(TagVersion.Parse("21-ea-32"), tags, new UpgradePolicy { Level = UpgradeLevel.Major });
        Assert.Equal("21", stable.Candidate);

        // Before: ea was a stream suffix, so 21-ea-32 never saw 22-ea-7 at all.
        Assert.Equal(TagVersion.Parse("21-ea-32").Stream, TagVersion.Parse("22-ea-7").Stream);

        Assert.Equal(1, TagVersion.Compare(TagVersion.Parse("21-ea-32"), TagVersion.Parse("21-ea-30")));
        Assert.Equal(-1, TagVersion.Compare(TagVersion.Parse("21-ea-32"), TagVersion.Parse("21")));
    }

    [Fact]
    public void NewerStreamsHoldOnlyReleasesNewerThanTheCurrentOne()
    {
        string[] tags = { "1607-KB4487026", "1709-KB4493441", "1803-KB4487017", "1809-KB4489899", "1803-KB4493464" };
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("1803-KB4487017"), tags, new UpgradePolicy());
        Assert.DoesNotContain("1607-KB4487026", analysis.NewerStreams);
        Assert.DoesNotContain("1709-KB4493441", analysis.NewerStreams);
        Assert.Contains("1809-KB4489899", analysis.NewerStreams);
        Assert.Contains("1803-KB4493464", analysis.NewerStreams);
        foreach (string newer in analysis.NewerStreams)
        {
            Assert.True(TagVersion.Compare(TagVersion.Parse(newer), analysis.Current) >= 0, newer);
        }

        // An older release with a higher stream number is no newer stream.
        UpgradeAnalysis python = UpgradeSelector.Analyze(TagVersion.Parse("2.10.3-python3.12"), new[] { "2.10.3-python3.12", "2.9.0-python3.13" }, new UpgradePolicy());
        Assert.Empty(python.NewerStreams);
        Assert.Equal(UpgradeStatus.UpToDate, python.Status);
    }

    [Fact]
    public void UpToDateInItsStreamIsToldApartFromNothingNewerAnywhere()
    {
        string[] tags = { "2.11.0-python3.12", "2.11.0-python3.13", "2.10.3-python3.12" };
        UpgradeAnalysis inStream = UpgradeSelector.Analyze(TagVersion.Parse("2.11.0-python3.12"), tags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.NewerStream, inStream.Status);
        Assert.Null(inStream.Candidate);
        Assert.Equal(new[] { "2.11.0-python3.13" }, inStream.NewerStreams);
        Assert.Contains("2.11.0-python3.13", inStream.Note, StringComparison.Ordinal);

        UpgradeAnalysis newest = UpgradeSelector.Analyze(TagVersion.Parse("2.11.0-python3.13"), tags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.UpToDate, newest.Status);
        Assert.Empty(newest.NewerStreams);

        // A newer release in the stream wins over the newer stream: the status says what can be chosen.
        Assert.Equal(UpgradeStatus.MinorAvailable, UpgradeSelector.Analyze(TagVersion.Parse("2.10.3-python3.12"), tags, new UpgradePolicy()).Status);
    }
}
