namespace Renku.PowerShell;

/// <summary>What an image tag looks like, which decides whether and how it can be upgraded.</summary>
public enum TagKind
{
    /// <summary>No tag was written (Docker assumes <c>latest</c>).</summary>
    Missing,

    /// <summary>The floating <c>latest</c> tag.</summary>
    Latest,

    /// <summary>
    /// A version such as <c>2.10.3</c>, <c>v1.2</c>, <c>22.04</c> or <c>2024.01.15</c>, or a prerelease
    /// of one (<c>2.11.0-rc.1</c>, <c>3.7.0b1</c>).
    /// </summary>
    Semver,

    /// <summary>A version followed by a suffix that names a stream (<c>2.10.3-python3.12</c>).</summary>
    SemverWithSuffix,

    /// <summary>A commit id of 7 to 40 hexadecimal characters.</summary>
    CommitSha,

    /// <summary>An architecture prefix and a commit id (<c>amd64-1a2b3c4</c>).</summary>
    ArchPrefixed,

    /// <summary>The reference pins a digest and has no tag.</summary>
    Digest,

    /// <summary>Anything else.</summary>
    Other,
}
