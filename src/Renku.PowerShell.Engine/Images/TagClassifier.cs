using NuGet.Versioning;

using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Images;

/// <summary>
/// Sorts tags into the kinds an upgrade audit cares about. One reading serves the tag listing,
/// the audit and the rules: it is <see cref="TagVersion.Parse"/>'s.
/// </summary>
public static class TagClassifier
{
    /// <summary>Classifies <paramref name="tag"/>; <paramref name="tagSpecified"/> false means it was implied.</summary>
    public static TagKind Classify(string? tag, bool tagSpecified = true) => TagVersion.Parse(tag, tagSpecified).Kind;

    /// <summary>
    /// The version a tag reads as (<c>v1.2</c> reads 1.2, <c>22.04</c> 22.4 shown as written,
    /// <c>3.12-slim</c> 3.12 in the <c>slim</c> stream), or false when it is not a version.
    /// </summary>
    public static bool TryParseVersion(string tag, out NuGetVersion? version)
    {
        version = TagVersion.Parse(tag).Version;
        return version is not null;
    }
}
