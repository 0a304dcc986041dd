namespace Renku.PowerShell;

/// <summary>A file read from inside an image, and which layer it came from.</summary>
public sealed class ImageFile
{
    /// <summary>The absolute path asked for (<c>/etc/os-release</c>).</summary>
    public string Path { get; init; } = string.Empty;

    /// <summary>The path actually read after following symbolic links.</summary>
    public string ResolvedPath { get; init; } = string.Empty;

    /// <summary>Index of the layer the content came from (0 = base layer).</summary>
    public int LayerIndex { get; init; }

    /// <summary>Digest of that layer.</summary>
    public string? LayerDigest { get; init; }

    /// <summary>
    /// True when that layer was read to its end and matched its digest. A layer whose reading
    /// stopped as soon as the wanted files were settled is not verified.
    /// </summary>
    public bool LayerVerified { get; init; }

    /// <summary>The file's text (these are small configuration files).</summary>
    public string Content { get; init; } = string.Empty;

    /// <summary>False when no layer holds the file (or a whiteout removed it).</summary>
    public bool Exists { get; init; } = true;
}
