using System.Security.Cryptography;

using Renku.PowerShell.Images;

namespace Renku.PowerShell.Registry;

/// <summary>Content digests (<c>sha256:hex</c>) as the OCI spec defines them.</summary>
internal static class Digests
{
    internal static string Sha256(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    /// <summary>A hasher for the digest's algorithm; throws for an algorithm the spec does not name.</summary>
    internal static IncrementalHash CreateHash(string digest)
    {
        int colon = digest.IndexOf(':');
        string algorithm = colon > 0 ? digest.Substring(0, colon) : string.Empty;
        return algorithm switch
        {
            "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
            "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
            "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
            _ => throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The digest '{digest}' uses an algorithm this client does not verify (sha256, sha384 and sha512 are supported)."),
        };
    }

    internal static string Compute(string digestOfSameAlgorithm, ReadOnlySpan<byte> content)
    {
        using IncrementalHash hash = CreateHash(digestOfSameAlgorithm);
        hash.AppendData(content);
        return Format(digestOfSameAlgorithm, hash.GetHashAndReset());
    }

    internal static string Format(string digestOfSameAlgorithm, byte[] hash) =>
        digestOfSameAlgorithm.Substring(0, digestOfSameAlgorithm.IndexOf(':') + 1) + Convert.ToHexString(hash).ToLowerInvariant();

    internal static bool IsValid(string? digest)
    {
        if (digest is null)
        {
            return false;
        }

        try
        {
            ImageReference.Parse("x@" + digest);
            return true;
        }
        catch (ImageReferenceException)
        {
            return false;
        }
    }

    internal static RegistryException Mismatch(string what, string expected, string actual) =>
        new(RegistryErrorKind.DigestMismatch, $"The {what} does not match its digest: expected {expected}, got {actual}. The registry or something between it and you served wrong content; nothing from it was used.");
}
