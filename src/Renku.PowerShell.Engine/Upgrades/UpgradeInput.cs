namespace Renku.PowerShell.Upgrades;

/// <summary>One image reference to audit, and where it was found (so an update can write it back).</summary>
public sealed class UpgradeInput
{
    /// <summary>The reference as written.</summary>
    public string Image { get; init; } = string.Empty;

    public UpgradeSourceKind SourceKind { get; init; }

    /// <summary>
    /// Why the reference cannot be read although it was found (a FROM whose variable has no value:
    /// <c>`${VALUE}` has no value: no ARG declares it</c>), or null.
    /// </summary>
    public string? Unresolved { get; init; }

    /// <summary>How the source is shown: an environment's name and id, <c>file:line</c>, or the image.</summary>
    public string Source { get; init; } = string.Empty;

    public string? EnvironmentId { get; init; }

    public string? EnvironmentName { get; init; }

    public string? Path { get; init; }

    public int? Line { get; init; }

    /// <summary>For Dockerfiles and environments files: where the image text sits in the file, to rewrite it in place.</summary>
    public DockerfileImageSite? Site { get; init; }

    /// <summary>For Dockerfiles and environments files: the digest of the whole file as the audit read it; an update refuses a file that no longer has it.</summary>
    public string? ContentDigest { get; init; }

    /// <summary>The settings the image runs under (an environment's or an environments file entry's), or null.</summary>
    public SessionSettings? Settings { get; init; }

    /// <summary>The object the input came from (an environment), handed back to the caller.</summary>
    public object? Origin { get; init; }
}
