using System.Text.RegularExpressions;

using NuGet.Versioning;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// A tag read as a version inside a stream. Tags of one stream can replace each other:
/// <c>2.10.3</c> and <c>2.11.0</c> (plain semver), <c>2.10.3-python3.12</c> and
/// <c>2.11.0-python3.12</c> (suffix <c>python3.12</c>), <c>3.11-0.25.0</c> and <c>3.11-0.26.1</c>
/// (Renku 1.x: Python 3.11 prefix, Renku version after it).
/// </summary>
public sealed class TagVersion
{
    private static readonly Regex LegacyRenkuForm = new(@"^(?<prefix>\d+\.\d+)-(?<version>\d+\.\d+\.\d+)$", RegexOptions.CultureInvariant);
    private static readonly Regex VersionWithSuffix = new(@"^(?<v>v?)(?<core>\d+(?:\.\d+){0,2})-(?<suffix>[A-Za-z0-9][A-Za-z0-9._-]*)$", RegexOptions.CultureInvariant);
    private static readonly Regex PlainVersion = new(@"^(?<v>v?)(?<core>\d+(?:\.\d+){0,2})(?:-(?<pre>[0-9A-Za-z.-]+))?$", RegexOptions.CultureInvariant);
    private static readonly Regex PrereleaseLabel = new(@"^(?:alpha|beta|rc|pre|preview|dev|a|b)(?:[.\-]?\d+)*(?:\..*)?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    private TagVersion(string tag, TagKind kind, NuGetVersion? version, int precision, string stream, bool hasVPrefix, string? prefix, string? suffix)
    {
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

    /// <summary>The version (null for tags that are not versions).</summary>
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

    public bool IsVersion => Version is not null;

    public bool IsPrerelease => Version?.IsPrerelease == true;

    /// <summary>Reads a tag; <paramref name="tagSpecified"/> false means it was implied (<c>latest</c>).</summary>
    public static TagVersion Parse(string? tag, bool tagSpecified = true)
    {
        TagKind kind = TagClassifier.Classify(tag, tagSpecified);
        string text = tag ?? string.Empty;
        if (kind is TagKind.Semver or TagKind.SemverWithSuffix)
        {
            Match legacy = LegacyRenkuForm.Match(text);
            if (legacy.Success)
            {
                var version = NuGetVersion.Parse(legacy.Groups["version"].Value);
                string prefix = legacy.Groups["prefix"].Value;
                return new TagVersion(text, TagKind.SemverWithSuffix, version, 3, "prefix:" + prefix, false, prefix, null);
            }

            Match plain = PlainVersion.Match(text);
            if (plain.Success && (!plain.Groups["pre"].Success || PrereleaseLabel.IsMatch(plain.Groups["pre"].Value)))
            {
                string core = plain.Groups["core"].Value;
                int precision = core.Split('.').Length;
                string normalised = Pad(core) + (plain.Groups["pre"].Success ? "-" + plain.Groups["pre"].Value : string.Empty);
                if (NuGetVersion.TryParse(normalised, out NuGetVersion? version))
                {
                    bool v = plain.Groups["v"].Value.Length > 0;
                    return new TagVersion(text, TagKind.Semver, version, precision, (v ? "v" : string.Empty) + "semver", v, null, null);
                }
            }

            Match suffixed = VersionWithSuffix.Match(text);
            if (suffixed.Success)
            {
                string core = suffixed.Groups["core"].Value;
                string suffix = suffixed.Groups["suffix"].Value;
                bool v = suffixed.Groups["v"].Value.Length > 0;
                return new TagVersion(text, TagKind.SemverWithSuffix, NuGetVersion.Parse(Pad(core)), core.Split('.').Length, (v ? "v" : string.Empty) + "suffix:" + suffix, v, null, suffix);
            }
        }

        return new TagVersion(text, kind, null, 0, kind.ToString(), false, null, null);
    }

    /// <summary>Same stream and same number of written parts: the tag can move to the other.</summary>
    public bool SameStreamAndPrecision(TagVersion other) =>
        string.Equals(Stream, other.Stream, StringComparison.Ordinal) && Precision == other.Precision;

    public override string ToString() => Tag;

    private static string Pad(string core) => core.Split('.').Length switch
    {
        1 => core + ".0.0",
        2 => core + ".0",
        _ => core,
    };
}
