using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

public class UpgradeSelectorTests
{
    // Renku's scheme: semver releases, 7-char commits, latest, per-architecture tags, a prerelease.
    private static readonly string[] RenkuTags =
    {
        "2.9.0", "2.9.1", "2.10.0", "2.10.1", "2.10.2", "2.10.3", "2.11.0", "2.11.1", "3.0.0", "3.1.0-rc.1",
        "latest", "abc1234", "def5678", "amd64-abc1234", "arm64-abc1234", "amd64-def5678", "arm64-def5678",
        "2.10", "2.11", "3.0", "v2.10.3", "nightly", "0123456789abcdef0123456789abcdef01234567",
    };

    [Theory]
    [InlineData("2.10.1", UpgradeLevel.Patch, "2.10.3", UpgradeStatus.MajorAvailable)]
    [InlineData("2.10.1", UpgradeLevel.Minor, "2.11.1", UpgradeStatus.MajorAvailable)]
    [InlineData("2.10.1", UpgradeLevel.Major, "3.0.0", UpgradeStatus.MajorAvailable)]
    [InlineData("3.0.0", UpgradeLevel.Major, null, UpgradeStatus.UpToDate)]
    [InlineData("2.11.0", UpgradeLevel.Minor, "2.11.1", UpgradeStatus.MajorAvailable)]
    [InlineData("2.10", UpgradeLevel.Minor, "2.11", UpgradeStatus.MajorAvailable)]
    [InlineData("2.11", UpgradeLevel.Minor, null, UpgradeStatus.MajorAvailable)]
    [InlineData("v2.10.3", UpgradeLevel.Major, null, UpgradeStatus.UpToDate)]
    public void ChoosesWithinTheLevelAndReportsWhatExists(string current, UpgradeLevel level, string? candidate, UpgradeStatus status)
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse(current), RenkuTags, new UpgradePolicy { Level = level });
        Assert.Equal(candidate, analysis.Candidate);
        Assert.Equal(status, analysis.Status);
        Assert.True(analysis.TagExists);
    }

    [Fact]
    public void ReportsNewestPatchMinorAndMajorSeparately()
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("2.10.1"), RenkuTags, new UpgradePolicy());
        Assert.Equal("2.10.3", analysis.NewestPatch);
        Assert.Equal("2.11.1", analysis.NewestMinor);
        Assert.Equal("3.0.0", analysis.NewestMajor);
    }

    [Fact]
    public void PatchAndMinorStatusesWhenNoMajorExists()
    {
        string[] tags = { "1.2.3", "1.2.4", "1.3.0" };
        Assert.Equal(UpgradeStatus.MinorAvailable, UpgradeSelector.Analyze(TagVersion.Parse("1.2.3"), tags, new UpgradePolicy()).Status);
        Assert.Equal(UpgradeStatus.PatchAvailable, UpgradeSelector.Analyze(TagVersion.Parse("1.3.0"), new[] { "1.3.0", "1.3.1" }, new UpgradePolicy()).Status);
    }

    [Fact]
    public void PrereleasesOnlyWhenAllowed()
    {
        Assert.Equal("3.0.0", UpgradeSelector.Analyze(TagVersion.Parse("3.0.0"), RenkuTags, new UpgradePolicy { Level = UpgradeLevel.Major }).Candidate is null ? "3.0.0" : "moved");
        Assert.Equal("3.1.0-rc.1", UpgradeSelector.Analyze(TagVersion.Parse("3.0.0"), RenkuTags, new UpgradePolicy { Level = UpgradeLevel.Major, AllowPrerelease = true }).Candidate);
    }

    [Fact]
    public void VersionRangeBoundsTheCandidate()
    {
        var policy = new UpgradePolicy { Level = UpgradeLevel.Major, Range = UpgradePolicy.ParseRange("[2.10,3.0)") };
        Assert.Equal("2.11.1", UpgradeSelector.Analyze(TagVersion.Parse("2.10.1"), RenkuTags, policy).Candidate);
        Assert.Throws<FormatException>(() => UpgradePolicy.ParseRange("[3.0,,2"));
    }

    [Fact]
    public void PrecisionIsKeptUnlessAsked()
    {
        Assert.Equal("2.11", UpgradeSelector.Analyze(TagVersion.Parse("2.10"), RenkuTags, new UpgradePolicy()).Candidate);
        Assert.Equal("2.11.1", UpgradeSelector.Analyze(TagVersion.Parse("2.10"), RenkuTags, new UpgradePolicy { KeepPrecision = false }).Candidate);
    }

    [Theory]
    [InlineData("latest", true)]
    [InlineData(null, false)]
    public void UnpinnedTagsGetTheNewestStableReleaseToPinTo(string? tag, bool specified)
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse(tag ?? "latest", specified), RenkuTags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.Unpinned, analysis.Status);
        Assert.Equal("3.0.0", analysis.Candidate);
    }

    [Theory]
    [InlineData("abc1234")]
    [InlineData("amd64-abc1234")]
    [InlineData("nightly")]
    public void TagsWithoutAVersionOrderAreUnknownScheme(string tag)
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse(tag), RenkuTags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.UnknownScheme, analysis.Status);
        Assert.Null(analysis.Candidate);
        Assert.Equal("3.0.0", analysis.NewestMajor);
    }

    [Fact]
    public void ATagTheRegistryDoesNotListIsTagMissing()
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("2.10.9"), RenkuTags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.TagMissing, analysis.Status);
        Assert.False(analysis.TagExists);
        Assert.Equal(UpgradeStatus.TagMissing, UpgradeSelector.Analyze(TagVersion.Parse("fffffff"), RenkuTags, new UpgradePolicy()).Status);
    }

    [Fact]
    public void SuffixStreamsStayInTheirStreamAndReportNewerOnes()
    {
        string[] tags = { "2.10.3-python3.12", "2.11.0-python3.12", "2.11.0-python3.13", "2.12.0", "2.11.1-python3.11", "0.6.0-amd64", "0.7.0-amd64", "0.7.0-arm64" };
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("2.10.3-python3.12"), tags, new UpgradePolicy());
        Assert.Equal("2.11.0-python3.12", analysis.Candidate);
        Assert.Equal(new[] { "2.11.0-python3.13" }, analysis.NewerStreams);

        Assert.Equal("0.7.0-amd64", UpgradeSelector.Analyze(TagVersion.Parse("0.6.0-amd64"), tags, new UpgradePolicy()).Candidate);
    }

    [Fact]
    public void LegacyRenkuTagsUpgradeTheRenkuVersionWithinThePythonPrefix()
    {
        string[] tags = { "3.10-0.24.0", "3.11-0.24.0", "3.11-0.25.0", "3.11-0.25.3", "3.12-0.25.3", "3.11-0.26.0" };
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("3.11-0.24.0"), tags, new UpgradePolicy { Level = UpgradeLevel.Patch });
        Assert.Equal("3.11-0.24.0", analysis.Current.Tag);
        Assert.Null(analysis.Candidate);
        Assert.Equal(UpgradeStatus.MinorAvailable, analysis.Status);
        Assert.Equal("3.11-0.26.0", UpgradeSelector.Analyze(TagVersion.Parse("3.11-0.24.0"), tags, new UpgradePolicy()).Candidate);
        Assert.Equal(new[] { "3.12-0.25.3" }, UpgradeSelector.Analyze(TagVersion.Parse("3.11-0.24.0"), tags, new UpgradePolicy()).NewerStreams);
    }

    [Fact]
    public void JunkTagsAreIgnored()
    {
        string[] tags = { "", "  ", "1.0.0", "1.0.1", "--", "1.0.1" };
        Assert.Equal("1.0.1", UpgradeSelector.Analyze(TagVersion.Parse("1.0.0"), tags, new UpgradePolicy()).Candidate);
    }

    private static readonly string[] UbuntuTags = { "18.04", "20.04", "22.04", "22.10", "24.04", "jammy", "noble", "latest", "rolling", "jammy-20240101", "noble-20240801" };

    private static readonly string[] PythonTags =
    {
        "3.7.0", "3.7.0b1", "3.7.0b5", "3.7.1", "3.8.0b1", "3.8.0b9", "3.8.0b10", "3.8.0rc1", "3.7", "3.8", "3.7.0-alpine", "3.8.0b1-alpine", "3.8.0-alpine", "latest",
    };

    private static readonly string[] CalendarTags = { "2024.01.15", "2024.02.01", "2024.10.1", "2025.1.3", "2.10.3", "2.11.0" };

    private static readonly string[] TwoPartTags = { "1.0", "1.1", "latest", "abc1234" };

    /// <summary>Each case: the tags a repository lists, the tag in use, the policy, and the answer Renovate and Dependabot would give.</summary>
    [Theory]
    // Leading zeros order as numbers and keep their text.
    [InlineData("ubuntu", "22.04", UpgradeLevel.Major, false, "24.04", UpgradeStatus.MajorAvailable)]
    [InlineData("ubuntu", "22.04", UpgradeLevel.Minor, false, "22.10", UpgradeStatus.MajorAvailable)]
    [InlineData("ubuntu", "18.04", UpgradeLevel.Patch, false, null, UpgradeStatus.MajorAvailable)]
    [InlineData("ubuntu", "24.04", UpgradeLevel.Major, false, null, UpgradeStatus.UpToDate)]
    [InlineData("calendar", "2024.01.15", UpgradeLevel.Minor, false, "2024.10.1", UpgradeStatus.MajorAvailable)]
    [InlineData("calendar", "2024.01.15", UpgradeLevel.Major, false, "2025.1.3", UpgradeStatus.MajorAvailable)]
    [InlineData("calendar", "2.10.3", UpgradeLevel.Major, false, "2.11.0", UpgradeStatus.MinorAvailable)]
    // Prereleases written without a hyphen are prereleases: never chosen unless allowed.
    [InlineData("python", "3.7.0", UpgradeLevel.Major, false, "3.7.1", UpgradeStatus.PatchAvailable)]
    [InlineData("python", "3.7.1", UpgradeLevel.Major, false, null, UpgradeStatus.UpToDate)]
    [InlineData("python", "3.7.1", UpgradeLevel.Major, true, "3.8.0rc1", UpgradeStatus.MinorAvailable)]
    [InlineData("python", "3.8.0b9", UpgradeLevel.Patch, true, "3.8.0rc1", UpgradeStatus.PatchAvailable)]
    [InlineData("python", "3.7.0b1", UpgradeLevel.Patch, false, "3.7.1", UpgradeStatus.PatchAvailable)]
    [InlineData("python", "3.7", UpgradeLevel.Minor, false, "3.8", UpgradeStatus.MinorAvailable)]
    [InlineData("python", "3.7.0-alpine", UpgradeLevel.Minor, false, "3.8.0-alpine", UpgradeStatus.MinorAvailable)]
    [InlineData("python", "3.7.0-alpine", UpgradeLevel.Minor, true, "3.8.0-alpine", UpgradeStatus.MinorAvailable)]
    public void FollowsThePeerToolsOrder(string set, string current, UpgradeLevel level, bool prerelease, string? candidate, UpgradeStatus status)
    {
        string[] tags = set switch
        {
            "ubuntu" => UbuntuTags,
            "python" => PythonTags,
            _ => CalendarTags,
        };
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse(current), tags, new UpgradePolicy { Level = level, AllowPrerelease = prerelease });
        Assert.Equal(candidate, analysis.Candidate);
        Assert.Equal(status, analysis.Status);
        Assert.Equal(current, analysis.Current.Tag);
    }

    [Fact]
    public void EqualNumbersAreTheSameVersion()
    {
        // 18.4 equals 18.04: nothing newer.
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("18.04"), new[] { "18.1", "18.4", "18.04" }, new UpgradePolicy { Level = UpgradeLevel.Major });
        Assert.Null(analysis.Candidate);
        Assert.Equal(UpgradeStatus.UpToDate, analysis.Status);
    }

    [Fact]
    public void PrereleaseNumbersCompareAsNumbers()
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("3.8.0b1"), new[] { "3.8.0b1", "3.8.0b9", "3.8.0b10" }, new UpgradePolicy { AllowPrerelease = true });
        Assert.Equal("3.8.0b10", analysis.Candidate);
    }

    [Theory]
    [InlineData("ubuntu", "24.04")]
    [InlineData("python", "3.7.1")]
    [InlineData("twopart", "1.1")]
    [InlineData("calendar", "2025.1.3")]
    public void UnpinnedImagesPinTheNewestReleaseOfTheDominantScheme(string set, string expected)
    {
        string[] tags = set switch
        {
            "ubuntu" => UbuntuTags,
            "python" => PythonTags,
            "twopart" => TwoPartTags,
            _ => CalendarTags,
        };
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("latest"), tags, new UpgradePolicy());
        Assert.Equal(UpgradeStatus.Unpinned, analysis.Status);
        Assert.Equal(expected, analysis.Candidate);
    }

    [Fact]
    public void AnUnpinnedImageWithoutReleasesSaysSo()
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("latest"), new[] { "latest", "abc1234", "nightly" }, new UpgradePolicy());
        Assert.Null(analysis.Candidate);
        Assert.Equal("The repository lists no release to pin to.", analysis.Note);
    }

    [Fact]
    public void ACommitTagAsksForResolutionByDigestAndNamesTheNewestRelease()
    {
        UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse("abc1234"), TwoPartTags, new UpgradePolicy());
        Assert.True(analysis.ResolveByDigest);
        Assert.Equal("1.1", analysis.NewestMajor);
        Assert.False(UpgradeSelector.Analyze(TagVersion.Parse("fffffff"), TwoPartTags, new UpgradePolicy()).ResolveByDigest);
        Assert.False(UpgradeSelector.Analyze(TagVersion.Parse("nightly"), new[] { "nightly" }, new UpgradePolicy()).ResolveByDigest);

        UpgradeAnalysis unresolved = UpgradeSelector.Unresolved(analysis, 2);
        Assert.Null(unresolved.Candidate);
        Assert.Null(unresolved.ResolvedTag);
        Assert.Contains("newest release is 1.1", unresolved.Note, StringComparison.Ordinal);
    }

    [Theory]
    // The release shares the commit's image: judged from the release; at least the release itself is the candidate.
    [InlineData("2.10.1", UpgradeLevel.Minor, "2.11.1", UpgradeStatus.MajorAvailable)]
    [InlineData("2.10.1", UpgradeLevel.Patch, "2.10.3", UpgradeStatus.MajorAvailable)]
    [InlineData("3.0.0", UpgradeLevel.Minor, "3.0.0", UpgradeStatus.UpToDate)]
    public void AResolvedCommitTagMovesToARelease(string release, UpgradeLevel level, string candidate, UpgradeStatus status)
    {
        UpgradeAnalysis analysis = UpgradeSelector.AnalyzeResolved(TagVersion.Parse("abc1234"), TagVersion.Parse(release), RenkuTags, new UpgradePolicy { Level = level });
        Assert.Equal(release, analysis.ResolvedTag);
        Assert.Equal(candidate, analysis.Candidate);
        Assert.Equal(status, analysis.Status);
        Assert.Equal("abc1234", analysis.Current.Tag);
    }

    [Fact]
    public void CommitTagsAreComparedWithTheUsualSchemeFirstNewestFirstAndBounded()
    {
        IReadOnlyList<TagVersion> order = UpgradeSelector.ReleasesToCompare(RenkuTags, new UpgradePolicy());
        Assert.Equal(new[] { "3.0.0", "2.11.1", "2.11.0", "2.10.3", "2.10.2", "2.10.1", "2.10.0", "2.9.1", "2.9.0", "3.0", "2.11", "v2.10.3", "2.10" }, order.Select(t => t.Tag));

        var many = Enumerable.Range(0, 300).Select(i => $"1.{i}.0");
        Assert.Equal(UpgradeSelector.MaxReleasesCompared, UpgradeSelector.ReleasesToCompare(many, new UpgradePolicy()).Count);
    }
}
