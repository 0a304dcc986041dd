namespace Renku.PowerShell;

/// <summary>
/// What an image is made of, read without running it: from a registry, a local archive or a
/// Docker engine. Produced by the image inspection code; read by compliance rules and the
/// upgrade audit.
/// </summary>
public sealed class ImageInfo
{
    /// <summary>The reference the image was asked for (null for an archive without one).</summary>
    public ImageReference? Reference { get; init; }

    /// <summary>Where the facts came from: Registry, Archive or Docker.</summary>
    public ImageSourceKind Source { get; init; }

    /// <summary>For archives: the file or folder read.</summary>
    public string? Path { get; init; }

    /// <summary>The manifest digest of the selected platform's image.</summary>
    public string? Digest { get; init; }

    /// <summary>The digest the reference resolved to at the top (an index for multi-platform images).</summary>
    public string? IndexDigest { get; init; }

    /// <summary>The platform that was inspected.</summary>
    public ImagePlatform? Platform { get; init; }

    /// <summary>Every platform the image offers (attestation entries excluded).</summary>
    public IReadOnlyList<ImagePlatform> Platforms { get; init; } = Array.Empty<ImagePlatform>();

    /// <summary>Media type of the top-level manifest or index.</summary>
    public string? MediaType { get; init; }

    /// <summary>Sum of the layers' compressed sizes, in bytes.</summary>
    public long CompressedSize { get; init; }

    /// <summary>
    /// The image as people name it: the reference as asked for in its short form
    /// (<c>python:3.12</c>, <c>ghcr.io/org/lab:1.0</c>), else the archive read. Cmdlets that take
    /// an image read this property from the pipeline.
    /// </summary>
    public string Image => Reference?.FamiliarName ?? Path ?? Digest ?? string.Empty;

    /// <summary><see cref="CompressedSize"/> in MiB, one decimal.</summary>
    public double SizeMB => Math.Round(CompressedSize / 1048576.0, 1);

    /// <summary>The layers of the inspected platform's image, base layer first.</summary>
    public IReadOnlyList<ImageLayer> Layers { get; init; } = Array.Empty<ImageLayer>();

    /// <summary>Number of layers.</summary>
    public int LayerCount { get; init; }

    /// <summary>When the image was built, from its config.</summary>
    public DateTimeOffset? Created { get; init; }

    /// <summary>The image configuration (user, workdir, entrypoint, env, ...).</summary>
    public ImageConfiguration Config { get; init; } = new();

    /// <summary>The user the image runs as, resolved against its /etc/passwd and /etc/group.</summary>
    public ImageUser? User { get; init; }

    /// <summary><c>ID</c> from os-release (debian, ubuntu, alpine, ...).</summary>
    public string? OsId { get; init; }

    /// <summary><c>VERSION_ID</c> from os-release (12, 24.04, ...).</summary>
    public string? OsVersion { get; init; }

    /// <summary><c>ID_LIKE</c> from os-release, split on spaces.</summary>
    public IReadOnlyList<string> OsIdLike { get; init; } = Array.Empty<string>();

    /// <summary><c>PRETTY_NAME</c> from os-release.</summary>
    public string? OsPrettyName { get; init; }

    /// <summary>Whether the image can be pulled with no credentials at all.</summary>
    public PublicAccess PublicAccess { get; init; } = PublicAccess.Unknown;

    /// <summary>Bytes fetched from the registry to produce this object.</summary>
    public long BytesDownloaded { get; init; }

    /// <summary>The files read from inside the image, with the layer each came from.</summary>
    public IReadOnlyList<ImageFile> Files { get; init; } = Array.Empty<ImageFile>();

    public override string ToString() => Reference?.FullName ?? Path ?? Digest ?? "(image)";
}
