using NuGet.Versioning;

namespace Renku.PowerShell;

/// <summary>A tag of a repository, with its version when it reads as one.</summary>
public sealed class ImageTag
{
    /// <summary>The repository (<c>registry/path</c>) the tag belongs to.</summary>
    public string Repository { get; init; } = string.Empty;

    /// <summary>The tag as the registry lists it.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>
    /// The tag's version, or null when it is not a version. It compares as a version (<c>22.04</c>
    /// as 22.4, <c>3.7.0b1</c> before 3.7.0) and shows as the tag wrote it (without a <c>v</c> or a
    /// stream suffix).
    /// </summary>
    public NuGetVersion? Version { get; init; }

    /// <summary>
    /// The build number written after an underscore (12 in <c>17.0.1_12-jre</c>), or null; it
    /// orders releases of one version (<c>Sort-Object Version, Build</c>).
    /// </summary>
    public int? Build { get; init; }

    /// <summary>What the tag looks like: Semver, SemverWithSuffix, CommitSha, Latest, ArchPrefixed or Other.</summary>
    public TagKind Kind { get; init; }

    /// <summary>The full reference of this tag.</summary>
    public string Reference => Repository + ":" + Name;

    public override string ToString() => Reference;
}
