using System.Text.RegularExpressions;

using NuGet.Versioning;

namespace Renku.PowerShell.Images;

/// <summary>Sorts tags into the kinds an upgrade audit cares about.</summary>
public static class TagClassifier
{
    private static readonly Regex CommitPattern = new("^[0-9a-f]{7,40}$", RegexOptions.CultureInvariant);
    private static readonly Regex ArchPrefixedPattern = new("^(?:amd64|arm64|arm|ppc64le|s390x|386|riscv64)-[0-9a-f]{7,40}$", RegexOptions.CultureInvariant);
    private static readonly Regex PrereleaseLabel = new(@"^(?:alpha|beta|rc|pre|preview|dev|a|b)(?:[.\-]?\d+)*(?:\..*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    private static readonly Regex LeadingVersion = new(@"^v?\d+(?:\.\d+){0,3}-.+$", RegexOptions.CultureInvariant);

    /// <summary>Classifies <paramref name="tag"/>; <paramref name="tagSpecified"/> false means it was implied.</summary>
    public static TagKind Classify(string? tag, bool tagSpecified = true)
    {
        if (tag is null)
        {
            return TagKind.Digest;
        }

        if (!tagSpecified)
        {
            return TagKind.Missing;
        }

        if (string.Equals(tag, "latest", StringComparison.Ordinal))
        {
            return TagKind.Latest;
        }

        if (ArchPrefixedPattern.IsMatch(tag))
        {
            return TagKind.ArchPrefixed;
        }

        // A purely numeric tag of 7+ digits is more likely a date or build number than a commit.
        if (CommitPattern.IsMatch(tag) && !tag.All(char.IsDigit))
        {
            return TagKind.CommitSha;
        }

        string candidate = tag.StartsWith('v') || tag.StartsWith('V') ? tag.Substring(1) : tag;
        if (NuGetVersion.TryParseStrict(candidate, out NuGetVersion? strict) || TryParseShort(candidate, out strict))
        {
            if (!strict!.IsPrerelease || PrereleaseLabel.IsMatch(strict.Release))
            {
                return TagKind.Semver;
            }

            return TagKind.SemverWithSuffix;
        }

        if (LeadingVersion.IsMatch(tag))
        {
            return TagKind.SemverWithSuffix;
        }

        return TagKind.Other;
    }

    /// <summary>Parses <c>1</c>, <c>1.2</c> and <c>1.2.3</c> (with an optional <c>v</c>) into a version.</summary>
    public static bool TryParseVersion(string tag, out NuGetVersion? version)
    {
        string candidate = tag.StartsWith('v') || tag.StartsWith('V') ? tag.Substring(1) : tag;
        return NuGetVersion.TryParseStrict(candidate, out version) || TryParseShort(candidate, out version);
    }

    private static bool TryParseShort(string candidate, out NuGetVersion? version)
    {
        version = null;
        int dash = candidate.IndexOf('-');
        string core = dash < 0 ? candidate : candidate.Substring(0, dash);
        string[] parts = core.Split('.');

        // A lone number of six or more digits is a date or a build number, not a version.
        if (parts.Length == 1 && parts[0].Length >= 6)
        {
            return false;
        }

        if (parts.Length is < 1 or > 2 || parts.Any(p => p.Length == 0 || !p.All(char.IsDigit) || (p.Length > 1 && p[0] == '0')))
        {
            return false;
        }

        string padded = parts.Length == 1 ? core + ".0.0" : core + ".0";
        return NuGetVersion.TryParseStrict(dash < 0 ? padded : padded + candidate.Substring(dash), out version);
    }
}
