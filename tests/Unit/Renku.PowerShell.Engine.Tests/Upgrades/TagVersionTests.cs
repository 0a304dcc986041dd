using NuGet.Versioning;

using Renku.PowerShell.Images;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

/// <summary>
/// How a tag reads. The cases follow the rules Renovate's docker versioning and Dependabot's
/// docker tags agree on (numbers compare as numbers whatever their zeros, letters straight after
/// the numbers make a prerelease, text after a hyphen names a stream, commits are not versions);
/// the remaining ones pin down where the module chooses between them.
/// </summary>
public class TagVersionTests
{
    [Theory]
    //          tag                kind                         normalised        shown           parts prefix  suffix        prerelease
    [InlineData("2.10.3", TagKind.Semver, "2.10.3", "2.10.3", 3, null, null, false)]
    [InlineData("v1.2", TagKind.Semver, "1.2.0", "1.2", 2, null, null, false)]
    [InlineData("3", TagKind.Semver, "3.0.0", "3", 1, null, null, false)]
    [InlineData("10.1", TagKind.Semver, "10.1.0", "10.1", 2, null, null, false)]
    [InlineData("1.2.3.4", TagKind.Semver, "1.2.3.4", "1.2.3.4", 4, null, null, false)]
    [InlineData("2.11.0-rc.1", TagKind.Semver, "2.11.0-rc.1", "2.11.0-rc.1", 3, null, null, true)]
    [InlineData("3.11-0.25.0", TagKind.SemverWithSuffix, "0.25.0", "0.25.0", 3, "3.11", null, false)]
    [InlineData("2.10.3-python3.12", TagKind.SemverWithSuffix, "2.10.3", "2.10.3", 3, null, "python3.12", false)]
    [InlineData("0.6.0-amd64", TagKind.SemverWithSuffix, "0.6.0", "0.6.0", 3, null, "amd64", false)]
    [InlineData("3.12-slim", TagKind.SemverWithSuffix, "3.12.0", "3.12", 2, null, "slim", false)]
    // Leading zeros: numbers all the same, the text kept (Renovate: 18.04 is 18.4; Dependabot: Gem versions).
    [InlineData("22.04", TagKind.Semver, "22.4.0", "22.04", 2, null, null, false)]
    [InlineData("18.04", TagKind.Semver, "18.4.0", "18.04", 2, null, null, false)]
    [InlineData("2024.01.15", TagKind.Semver, "2024.1.15", "2024.01.15", 3, null, null, false)]
    [InlineData("22.04-jammy", TagKind.SemverWithSuffix, "22.4.0", "22.04", 2, null, "jammy", false)]
    [InlineData("v007", TagKind.Semver, "7.0.0", "007", 1, null, null, false)]
    // Letters straight after the numbers: a prerelease of that version (Python's scheme).
    [InlineData("3.7.0b1", TagKind.Semver, "3.7.0-b.1", "3.7.0b1", 3, null, null, true)]
    [InlineData("1.0rc2", TagKind.Semver, "1.0.0-rc.2", "1.0rc2", 2, null, null, true)]
    [InlineData("4.0.0a", TagKind.Semver, "4.0.0-a", "4.0.0a", 3, null, null, true)]
    [InlineData("2.1.0beta3", TagKind.Semver, "2.1.0-beta.3", "2.1.0beta3", 3, null, null, true)]
    [InlineData("3.8.0b1-alpine", TagKind.SemverWithSuffix, "3.8.0-b.1", "3.8.0b1", 3, null, "alpine", true)]
    public void ReadsVersionsAndStreams(string tag, TagKind kind, string normalised, string shown, int precision, string? prefix, string? suffix, bool prerelease)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(normalised, parsed.Version!.ToNormalizedString());
        Assert.Equal(shown, parsed.Version.ToString());
        Assert.Equal(precision, parsed.Precision);
        Assert.Equal(prefix, parsed.Prefix);
        Assert.Equal(suffix, parsed.Suffix);
        Assert.Equal(prerelease, parsed.IsPrerelease);
        Assert.Equal(tag, parsed.Tag);

        // The tag listing reads tags the same way.
        Assert.Equal(kind, TagClassifier.Classify(tag));
        Assert.True(TagClassifier.TryParseVersion(tag, out NuGetVersion? listed));
        Assert.Equal(0, VersionComparer.Default.Compare(parsed.Version, listed));
    }

    [Theory]
    [InlineData("latest", TagKind.Latest)]
    [InlineData("abc1234", TagKind.CommitSha)]
    [InlineData("0a1b2c3", TagKind.CommitSha)]
    [InlineData("0a1b2c3d", TagKind.CommitSha)]
    [InlineData("0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d", TagKind.CommitSha)]
    [InlineData("amd64-abc1234", TagKind.ArchPrefixed)]
    [InlineData("arm64-0a1b2c3d4e5f", TagKind.ArchPrefixed)]
    [InlineData("nightly", TagKind.Other)]
    [InlineData("jammy", TagKind.Other)]
    [InlineData("jammy-20240101", TagKind.Other)]
    // Seven digits and more hex-looking but all digits: a number, and as a lone long number a date or build, not a version.
    [InlineData("1234567", TagKind.Other)]
    [InlineData("20240115", TagKind.Other)]
    // 41 hexadecimal characters are neither a commit nor a version.
    [InlineData("0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0", TagKind.Other)]
    [InlineData("1.0.dev3", TagKind.Other)]
    [InlineData("1.2.3.4.5", TagKind.Other)]
    [InlineData("99999999999.1", TagKind.Other)]
    public void NonVersionsHaveNoVersion(string tag, TagKind kind)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.Equal(kind, parsed.Kind);
        Assert.False(parsed.IsVersion);
        Assert.Equal(kind is TagKind.CommitSha or TagKind.ArchPrefixed, parsed.IsCommit);
        Assert.False(TagClassifier.TryParseVersion(tag, out _));
    }

    [Theory]
    // Renovate's and Dependabot's order: numbers as numbers, a prerelease before its release.
    [InlineData("18.04", "18.1", 1)]
    [InlineData("18.04", "18.4", 0)]
    [InlineData("10.1", "10.0.4", 1)]
    [InlineData("3", "2", 1)]
    [InlineData("2024.01.15", "2024.1.9", 1)]
    [InlineData("2024.10.1", "2024.02.01", 1)]
    [InlineData("3.7.0b1", "3.7.0", -1)]
    [InlineData("3.7.0b5", "3.7.0b1", 1)]
    [InlineData("3.7.0b10", "3.7.0b9", 1)]
    [InlineData("3.7.0rc1", "3.7.0b5", 1)]
    [InlineData("1.0rc2", "1.0", -1)]
    [InlineData("3.8.0b1-alpine", "3.7.0-alpine", 1)]
    public void VersionsOrderAsNumbers(string left, string right, int sign) =>
        Assert.Equal(sign, Math.Sign(VersionComparer.Default.Compare(TagVersion.Parse(left).Version, TagVersion.Parse(right).Version)));

    [Fact]
    public void StreamsSeparatePrefixesSuffixesTheVPrefixAndCalendars()
    {
        Assert.Equal(TagVersion.Parse("2.10.3").Stream, TagVersion.Parse("2.11.0").Stream);
        Assert.Equal(TagVersion.Parse("22.04").Stream, TagVersion.Parse("24.04").Stream);
        Assert.Equal(TagVersion.Parse("3.7.0").Stream, TagVersion.Parse("3.8.0b1").Stream);
        Assert.NotEqual(TagVersion.Parse("2.10.3").Stream, TagVersion.Parse("v2.11.0").Stream);
        Assert.NotEqual(TagVersion.Parse("2.10.3-python3.12").Stream, TagVersion.Parse("2.10.3-python3.13").Stream);
        Assert.NotEqual(TagVersion.Parse("3.11-0.25.0").Stream, TagVersion.Parse("3.12-0.25.0").Stream);
        Assert.NotEqual(TagVersion.Parse("2.10.3").Stream, TagVersion.Parse("2024.01.15").Stream);
        Assert.NotEqual(TagVersion.Parse("1.2").Scheme, TagVersion.Parse("1.2.0").Scheme);
    }
}
