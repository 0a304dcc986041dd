namespace Renku.PowerShell;

/// <summary>One layer of an image as its manifest lists it (index 0 is the base layer).</summary>
public sealed class ImageLayer
{
    public int Index { get; init; }

    public string Digest { get; init; } = string.Empty;

    /// <summary>Compressed size in bytes, from the manifest.</summary>
    public long Size { get; init; }

    public string MediaType { get; init; } = string.Empty;

    public override string ToString() => $"{Index}: {Digest} ({Size} bytes)";
}
