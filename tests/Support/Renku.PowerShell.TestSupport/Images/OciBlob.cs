using System.Security.Cryptography;

namespace Renku.PowerShell.TestSupport.Images;

/// <summary>A content-addressed blob: bytes, media type and digest.</summary>
public sealed class OciBlob
{
    public OciBlob(string mediaType, byte[] content)
    {
        MediaType = mediaType;
        Content = content;
        Digest = "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
    }

    public string MediaType { get; }

    public byte[] Content { get; }

    public string Digest { get; }

    public long Size => Content.LongLength;

    /// <summary>The OCI descriptor JSON object of this blob.</summary>
    public Dictionary<string, object?> Descriptor() => new()
    {
        ["mediaType"] = MediaType,
        ["digest"] = Digest,
        ["size"] = Size,
    };
}
