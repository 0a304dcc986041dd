using System.Globalization;
using System.Text.RegularExpressions;

using NuGet.Versioning;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// A tag read as a version inside a stream. Tags of one stream can replace each other:
/// <c>2.10.3</c> and <c>2.11.0</c> (plain versions), <c>2.10.3-python3.12</c> and
/// <c>2.11.0-python3.12</c> (suffix <c>python3.12</c>), <c>3.11-0.25.0</c> and <c>3.11-0.26.1</c>
/// (Renku 1.x: Python 3.11 prefix, Renku version after it).
/// </summary>
/// <remarks>
/// The reading follows the rules Renovate's docker versioning and Dependabot's docker tags agree on:
/// numbers are numbers (<c>18.04</c> is 18.4, newer than <c>18.1</c>, and <c>22.04</c> keeps its
/// text), letters written straight after the numbers make a prerelease (<c>3.7.0b1</c>,
/// <c>1.0rc2</c>), text after the first hyphen names a compatible stream (<c>-alpine</c>), a tag
/// only moves to tags of its stream with as many numbers, and 7 to 40 hexadecimal characters that
/// are not all digits are a commit, not a version. Where the two tools differ the module chooses:
/// a hyphen followed by a prerelease word (<c>2.11.0-rc.1</c>) is a prerelease as in semver, numbers
/// inside prerelease labels compare as numbers (<c>b10</c> after <c>b9</c>), calendar versions
/// (a four-digit year first, as <c>2024.01.15</c>) are a stream of their own, and a lone number of
/// six or more digits is a date or a build number, not a version.
/// </remarks>
public sealed class TagVersion
{
    internal const int MaxVersionParts = 4;

    private static readonly Regex ArchPrefixedPattern = new("^(?:amd64|arm64|arm|ppc64le|s390x|386|riscv64)-[0-9a-f]{7,40}$", RegexOptions.CultureInvariant);
    private static readonly Regex CommitPattern = new("^[0-9a-f]{7,40}$", RegexOptions.CultureInvariant);
    private static readonly Regex LegacyRenkuForm = new(@"^(?<prefix>\d+\.\d+)-(?<version>\d+\.\d+\.\d+)$", RegexOptions.CultureInvariant);

    // v? numbers (1 to 4 parts), an optional underscore build number (Eclipse Temurin's 17.0.1_12),
    // letters written straight after them (a prerelease), then an optional hyphen part.
    private static readonly Regex VersionForm = new(
        @"^(?<v>[vV]?)(?<core>\d+(?:\.\d+){0,3})(?:_(?<build>[0-9]{1,9}))?(?<pre>[A-Za-z]+\d*)?(?:-(?<rest>[A-Za-z0-9][A-Za-z0-9._-]*))?$",
        RegexOptions.CultureInvariant);

    // The words that make a hyphen part a prerelease: semver's usual ones, Maven's snapshot and the JDK's ea (early access).
    // Matched without backtracking: "(?:[.-]?\d+)*" splits a long run of digits in exponentially many ways.
    private static readonly Regex PrereleaseLabel = new(@"^(?:alpha|beta|rc|pre|preview|dev|snapshot|ea|a|b)(?:[.\-]?\d+)*(?:\..*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase | RegexOptions.NonBacktracking);
    private static readonly Regex LabelRuns = new(@"[A-Za-z]+|\d+", RegexOptions.CultureInvariant);

    private TagVersion(string tag, TagKind kind, NuGetVersion? version, int precision, string stream, bool hasVPrefix, string? prefix, string? suffix, int? build = null)
    {
        Build = build;
        Tag = tag;
        Kind = kind;
        Version = version;
        Precision = precision;
        Stream = stream;
        HasVPrefix = hasVPrefix;
        Prefix = prefix;
        Suffix = suffix;
    }

    /// <summary>The tag as written.</summary>
    public string Tag { get; }

    public TagKind Kind { get; }

    /// <summary>The version (null for tags that are not versions); it shows as the tag wrote it.</summary>
    public NuGetVersion? Version { get; }

    /// <summary>How many numeric parts the tag wrote (<c>1.2</c> has 2).</summary>
    public int Precision { get; }

    /// <summary>Tags with the same stream key are interchangeable versions of each other.</summary>
    public string Stream { get; }

    public bool HasVPrefix { get; }

    /// <summary>The Renku 1.x Python prefix (<c>3.11</c> in <c>3.11-0.25.0</c>).</summary>
    public string? Prefix { get; }

    /// <summary>The stream suffix (<c>python3.12</c> in <c>2.10.3-python3.12</c>).</summary>
    public string? Suffix { get; }

    /// <summary>
    /// The build number written after an underscore (12 in <c>17.0.1_12</c>), or null. It orders
    /// releases of the same version: <c>17.0.1_12</c> comes before <c>17.0.1_13</c> and after
    /// <c>17.0.0_35</c>; <see cref="Compare"/> takes it after the version, which does not hold it
    /// (<c>11.0.16.1_1</c> is version 11.0.16.1, newer than <c>11.0.16_8</c>).
    /// </summary>
    public int? Build { get; }

    public bool IsVersion => Version is not null;

    public bool IsPrerelease => Version?.IsPrerelease == true;

    /// <summary>A commit id, bare (<c>1a2b3c4</c>) or after an architecture (<c>amd64-1a2b3c4</c>).</summary>
    public bool IsCommit => Kind is TagKind.CommitSha or TagKind.ArchPrefixed;

    /// <summary>The stream and the number of parts: tags of one scheme can replace each other.</summary>
    public string Scheme => Stream + "/" + Precision.ToString(CultureInfo.InvariantCulture);

    /// <summary>Reads a tag; <paramref name="tagSpecified"/> false means it was implied (<c>latest</c>).</summary>
    public static TagVersion Parse(string? tag, bool tagSpecified = true)
    {
        if (tag is null)
        {
            return NotAVersion(string.Empty, TagKind.Digest);
        }

        if (!tagSpecified)
        {
            return NotAVersion(tag, TagKind.Missing);
        }

        if (string.Equals(tag, "latest", StringComparison.Ordinal))
        {
            return NotAVersion(tag, TagKind.Latest);
        }

        if (ArchPrefixedPattern.IsMatch(tag))
        {
            return NotAVersion(tag, TagKind.ArchPrefixed);
        }

        // All digits is a number (a date or a build), not a commit.
        if (CommitPattern.IsMatch(tag) && !tag.All(char.IsAsciiDigit))
        {
            return NotAVersion(tag, TagKind.CommitSha);
        }

        Match legacy = LegacyRenkuForm.Match(tag);
        if (legacy.Success && TryNumbers(legacy.Groups["version"].Value, out int[] renku))
        {
            string prefix = legacy.Groups["prefix"].Value;
            return new TagVersion(tag, TagKind.SemverWithSuffix, Number(renku, Array.Empty<string>(), legacy.Groups["version"].Value), 3, "prefix:" + prefix, false, prefix, null);
        }

        Match form = VersionForm.Match(tag);
        if (!form.Success || !TryNumbers(form.Groups["core"].Value, out int[] numbers))
        {
            return NotAVersion(tag, TagKind.Other);
        }

        string core = form.Groups["core"].Value;
        if (numbers.Length == 1 && core.Length >= 6)
        {
            // A lone number of six or more digits is a date or a build number, not a version.
            return NotAVersion(tag, TagKind.Other);
        }

        bool v = form.Groups["v"].Value.Length > 0;
        int? build = form.Groups["build"].Success ? int.Parse(form.Groups["build"].Value, NumberStyles.None, CultureInfo.InvariantCulture) : null;
        string? attached = form.Groups["pre"].Success ? form.Groups["pre"].Value : null;
        string? rest = form.Groups["rest"].Success ? form.Groups["rest"].Value : null;
        string? hyphenPrerelease = attached is null && rest is not null && PrereleaseLabel.IsMatch(rest) ? rest : null;
        string? suffix = hyphenPrerelease is null ? rest : null;

        var labels = new List<string>();
        if (attached is not null)
        {
            labels.AddRange(Runs(attached));
        }

        if (hyphenPrerelease is not null)
        {
            foreach (string part in hyphenPrerelease.Split('.', '-'))
            {
                labels.AddRange(Runs(part));
            }
        }

        // The version shows the tag's own text without the v and the stream suffix: 22.04, 3.7.0b1, 2.11.0-rc.1.
        string written = core + (build is null ? string.Empty : "_" + form.Groups["build"].Value) + (attached ?? string.Empty) + (hyphenPrerelease is null ? string.Empty : "-" + hyphenPrerelease);

        NuGetVersion version = Number(numbers, labels, written);
        string calendar = numbers[0] >= 1000 ? "calendar:" : string.Empty;
        string built = build is null ? string.Empty : "build:";
        string stream = (v ? "v" : string.Empty) + calendar + built + (suffix is null ? "semver" : "suffix:" + suffix);
        return new TagVersion(tag, suffix is null ? TagKind.Semver : TagKind.SemverWithSuffix, version, numbers.Length, stream, v, null, suffix, build);
    }

    /// <summary>
    /// The order of releases: by version, then by build number (<c>17.0.1_12</c> before
    /// <c>17.0.1_13</c>; no build number comes first).
    /// </summary>
    public static int Compare(TagVersion? left, TagVersion? right)
    {
        int byVersion = VersionComparer.Default.Compare(left?.Version, right?.Version);
        return byVersion != 0 ? byVersion : Nullable.Compare(left?.Build, right?.Build);
    }

    /// <summary>Same stream and same number of written parts: the tag can move to the other.</summary>
    public bool SameStreamAndPrecision(TagVersion other) =>
        string.Equals(Stream, other.Stream, StringComparison.Ordinal) && Precision == other.Precision;

    public override string ToString() => Tag;

    private static TagVersion NotAVersion(string tag, TagKind kind) => new(tag, kind, null, 0, kind.ToString(), false, null, null);

    private static bool TryNumbers(string core, out int[] numbers)
    {
        string[] parts = core.Split('.');
        numbers = new int[parts.Length];
        if (parts.Length > MaxVersionParts)
        {
            return false;
        }

        for (int i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        return true;
    }

    // "rc10" compares as "rc" then 10, so b10 comes after b9 (as Python and Dependabot order them).
    private static IEnumerable<string> Runs(string label) => LabelRuns.Matches(label).Select(m => m.Value.All(char.IsAsciiDigit) ? m.Value.TrimStart('0').PadLeft(1, '0') : m.Value.ToLowerInvariant());

    private static NuGetVersion Number(int[] numbers, IReadOnlyList<string> labels, string written) => new WrittenVersion(
        new Version(numbers[0], numbers.Length > 1 ? numbers[1] : 0, numbers.Length > 2 ? numbers[2] : 0, numbers.Length > 3 ? numbers[3] : 0),
        labels,
        written);
}
