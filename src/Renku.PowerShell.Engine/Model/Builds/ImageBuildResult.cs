namespace Renku.PowerShell;

/// <summary>What <c>Build-RenkuImage</c> produced: the image, its tags, where it was pushed.</summary>
public sealed class ImageBuildResult
{
    public ImageBuildResult(
        ImageBuildMode mode,
        string? imageId,
        IReadOnlyList<string> tags,
        string? digest,
        IReadOnlyList<string> pushedTags,
        TimeSpan duration,
        long contextBytes,
        int contextFiles,
        string contextPath,
        ComplianceReport? verification = null)
    {
        Mode = mode;
        ImageId = imageId;
        Tags = tags;
        Digest = digest;
        PushedTags = pushedTags;
        Duration = duration;
        ContextBytes = contextBytes;
        ContextFiles = contextFiles;
        ContextPath = contextPath;
        Verification = verification;
    }

    /// <summary>How the image was built: a Dockerfile on a Docker engine, or Renku's buildpacks.</summary>
    public ImageBuildMode Mode { get; }

    /// <summary>The image id (<c>sha256:...</c>) in the engine; null when buildpacks published straight to a registry.</summary>
    public string? ImageId { get; }

    /// <summary>Every tag the image got, fully qualified (<c>registry/repository:tag</c>).</summary>
    public IReadOnlyList<string> Tags { get; }

    /// <summary>The manifest digest in the registry when the image was pushed or published.</summary>
    public string? Digest { get; }

    /// <summary>The tags that were pushed (or published).</summary>
    public IReadOnlyList<string> PushedTags { get; }

    public TimeSpan Duration { get; }

    /// <summary>Bytes of file content sent to the engine as the build context (after .dockerignore).</summary>
    public long ContextBytes { get; }

    /// <summary>Files sent in the build context (after .dockerignore).</summary>
    public int ContextFiles { get; }

    /// <summary>The build context directory.</summary>
    public string ContextPath { get; }

    /// <summary>The compliance report of the verification step (<c>-Verify</c>); null when the image was not verified.</summary>
    public ComplianceReport? Verification { get; }

    /// <summary>The verification's verdict (<c>-Verify</c>): true when no Error rule failed; null when the image was not verified.</summary>
    public bool? Compliant => Verification?.Passed;

    /// <summary><see cref="ContextBytes"/> in MiB, one decimal.</summary>
    public double ContextMB => Math.Round(ContextBytes / 1048576.0, 1);

    public override string ToString() => Tags.Count > 0 ? Tags[0] : ImageId ?? ContextPath;
}
