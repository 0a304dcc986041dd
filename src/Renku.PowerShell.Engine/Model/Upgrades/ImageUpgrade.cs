using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell;

/// <summary>One audited image: where it is used, what it runs now and what it could move to.</summary>
public sealed class ImageUpgrade
{
    /// <summary>Environment name and id, <c>file:line</c>, or the image as given.</summary>
    public string Source { get; init; } = string.Empty;

    public UpgradeSourceKind SourceKind { get; init; }

    public string? EnvironmentId { get; init; }

    public string? EnvironmentName { get; init; }

    public string? Path { get; init; }

    public int? Line { get; init; }

    /// <summary>The image reference as written at the source.</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary><c>registry/repository</c>.</summary>
    public string Repository { get; init; } = string.Empty;

    public string? CurrentTag { get; init; }

    public TagKind TagKind { get; init; }

    /// <summary>
    /// For a commit tag (<c>1a2b3c4</c>, <c>amd64-1a2b3c4</c>): the release tag that points at the
    /// same image, found by digest. Statuses and the candidate are then those of this release.
    /// </summary>
    public string? ResolvedTag { get; init; }

    public string? NewestPatch { get; init; }

    public string? NewestMinor { get; init; }

    public string? NewestMajor { get; init; }

    /// <summary>The tag the policy chose, or null.</summary>
    public string? Candidate { get; init; }

    /// <summary>The image reference with the candidate tag.</summary>
    public string? CandidateImage { get; init; }

    /// <summary>The candidate's manifest digest.</summary>
    public string? CandidateDigest { get; init; }

    public UpgradeStatus Status { get; init; }

    /// <summary>Newer sibling streams (<c>2.11.0-python3.13</c> for a <c>-python3.12</c> tag): never chosen silently.</summary>
    public IReadOnlyList<string> NewerStreams { get; init; } = Array.Empty<string>();

    /// <summary>The registry's error, or a remark on the choice.</summary>
    public string? Message { get; init; }

    /// <summary>The digest a previous run recorded for this tag (with a digest record).</summary>
    public string? RecordedDigest { get; init; }

    /// <summary>The digest the tag points at now (with a digest record).</summary>
    public string? CurrentDigest { get; init; }

    /// <summary>True when the tag now points at another digest than recorded: it was pushed again.</summary>
    public bool DigestChanged { get; init; }

    /// <summary>
    /// The settings the image runs under: the environment's, or the environments file entry's; null
    /// for a Dockerfile or a plain image (Renku's documented settings apply).
    /// </summary>
    public SessionSettings? Settings { get; init; }

    /// <summary>
    /// Whether the candidate passed Renku's rules under <see cref="Settings"/> (with
    /// <c>-CheckCandidate</c>); null when it was not checked. False also when it could not be checked.
    /// </summary>
    public bool? CandidatePassed { get; internal set; }

    /// <summary>The rules the candidate failed at error level (<c>RKC004</c>, ...), with <c>-CheckCandidate</c>.</summary>
    public IReadOnlyList<string> CandidateFailedRules { get; internal set; } = Array.Empty<string>();

    /// <summary>What failed (each rule with its message), or why the candidate could not be checked.</summary>
    public string? CandidateCheckMessage { get; internal set; }

    /// <summary>The candidate's whole compliance report, with <c>-CheckCandidate</c>.</summary>
    public ComplianceReport? CandidateCheck { get; internal set; }

    /// <summary>What the audit read, for writing the update back.</summary>
    internal UpgradeInput? Input { get; init; }

    /// <summary>The input this row was made from (source, origin object, Dockerfile site).</summary>
    public UpgradeInput GetInput() => Input ?? new UpgradeInput { Image = Image, Source = Source, SourceKind = SourceKind, EnvironmentId = EnvironmentId, EnvironmentName = EnvironmentName, Path = Path, Line = Line, Settings = Settings };

    public override string ToString() => $"{Source}: {Image} -> {Candidate ?? "(none)"} [{Status}]";
}
