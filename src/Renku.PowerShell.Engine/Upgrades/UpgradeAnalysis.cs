namespace Renku.PowerShell.Upgrades;

/// <summary>What the tags of a repository offer a tag in use.</summary>
public sealed class UpgradeAnalysis
{
    public UpgradeStatus Status { get; init; }

    public TagVersion Current { get; init; } = TagVersion.Parse("latest");

    /// <summary>True when the registry lists the tag in use.</summary>
    public bool TagExists { get; init; }

    public string? NewestPatch { get; init; }

    public string? NewestMinor { get; init; }

    public string? NewestMajor { get; init; }

    /// <summary>The tag the policy chooses, or null when there is nothing to move to.</summary>
    public string? Candidate { get; init; }

    /// <summary>Newest tag of each newer sibling stream (<c>2.11.0-python3.13</c> beside <c>-python3.12</c>): reported, never chosen.</summary>
    public IReadOnlyList<string> NewerStreams { get; init; } = Array.Empty<string>();

    /// <summary>
    /// For a commit tag: the release tag that points at the same image, found by digest; the
    /// statuses and the candidate are those of this release.
    /// </summary>
    public string? ResolvedTag { get; init; }

    /// <summary>True for a commit tag the registry lists: its release can be found by digest.</summary>
    public bool ResolveByDigest { get; init; }

    /// <summary>Why no candidate was chosen, or other remarks.</summary>
    public string? Note { get; init; }
}
