using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

public class TagVersionTests
{
    [Theory]
    [InlineData("2.10.3", TagKind.Semver, "2.10.3", 3, null, null)]
    [InlineData("v1.2", TagKind.Semver, "1.2.0", 2, null, null)]
    [InlineData("3", TagKind.Semver, "3.0.0", 1, null, null)]
    [InlineData("2.11.0-rc.1", TagKind.Semver, "2.11.0-rc.1", 3, null, null)]
    [InlineData("3.11-0.25.0", TagKind.SemverWithSuffix, "0.25.0", 3, "3.11", null)]
    [InlineData("2.10.3-python3.12", TagKind.SemverWithSuffix, "2.10.3", 3, null, "python3.12")]
    [InlineData("0.6.0-amd64", TagKind.SemverWithSuffix, "0.6.0", 3, null, "amd64")]
    [InlineData("3.12-slim", TagKind.SemverWithSuffix, "3.12.0", 2, null, "slim")]
    public void ReadsVersionsAndStreams(string tag, TagKind kind, string version, int precision, string? prefix, string? suffix)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.Equal(kind, parsed.Kind);
        Assert.Equal(version, parsed.Version!.ToNormalizedString());
        Assert.Equal(precision, parsed.Precision);
        Assert.Equal(prefix, parsed.Prefix);
        Assert.Equal(suffix, parsed.Suffix);
    }

    [Theory]
    [InlineData("latest", TagKind.Latest)]
    [InlineData("abc1234", TagKind.CommitSha)]
    [InlineData("amd64-abc1234", TagKind.ArchPrefixed)]
    [InlineData("nightly", TagKind.Other)]
    public void NonVersionsHaveNoVersion(string tag, TagKind kind)
    {
        TagVersion parsed = TagVersion.Parse(tag);
        Assert.Equal(kind, parsed.Kind);
        Assert.False(parsed.IsVersion);
    }

    [Fact]
    public void StreamsSeparatePrefixesSuffixesAndTheVPrefix()
    {
        Assert.Equal(TagVersion.Parse("2.10.3").Stream, TagVersion.Parse("2.11.0").Stream);
        Assert.NotEqual(TagVersion.Parse("2.10.3").Stream, TagVersion.Parse("v2.11.0").Stream);
        Assert.NotEqual(TagVersion.Parse("2.10.3-python3.12").Stream, TagVersion.Parse("2.10.3-python3.13").Stream);
        Assert.NotEqual(TagVersion.Parse("3.11-0.25.0").Stream, TagVersion.Parse("3.12-0.25.0").Stream);
    }
}
