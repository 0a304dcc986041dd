using System.Security.Cryptography;
using System.Text;

using Renku.PowerShell.Files;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// Replaces image references in a Dockerfile in place. Only the characters of each site change:
/// comments, spacing, <c>AS name</c>, flags, line endings and a byte-order mark stay as they were.
/// A file whose bytes are not exactly those the audit read is never touched, and the new content
/// replaces the old atomically.
/// </summary>
public static class DockerfileRewriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a Dockerfile's text the way the rewriter will write it back.</summary>
    public static string ReadText(string path) => ReadText(path, out _);

    /// <summary>Reads a Dockerfile's text, and the digest of its whole content that <see cref="Apply"/> checks before writing.</summary>
    public static string ReadText(string path, out string contentDigest)
    {
        byte[] bytes = File.ReadAllBytes(path);
        contentDigest = ContentDigest(bytes);
        int bom = HasBom(bytes) ? 3 : 0;
        try
        {
            return Utf8NoBom.GetString(bytes, bom, bytes.Length - bom);
        }
        catch (DecoderFallbackException ex)
        {
            // Rewritten files keep every byte they had, so only UTF-8 text can be read.
            int at = Math.Clamp(bom + Math.Max(ex.Index, 0), 0, bytes.Length);
            long line = 1 + bytes.AsSpan(0, at).Count((byte)'\n');
            throw new Dockerfiles.DockerfileException(path, line, $"the file is not UTF-8 text (byte {at} cannot be read); save it as UTF-8.", ex);
        }
    }

    /// <summary>The SHA-256 of a file's bytes (<c>sha256:...</c>).</summary>
    public static string ContentDigest(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    /// <summary>
    /// Returns the file text with every site replaced. A site whose text is no longer what was
    /// read (the file changed since) is an error and nothing is replaced.
    /// </summary>
    public static string Rewrite(string text, IEnumerable<(DockerfileImageSite Site, string Replacement)> changes)
    {
        var ordered = changes.OrderByDescending(c => c.Site.Offset).ToList();
        for (int i = 1; i < ordered.Count; i++)
        {
            if (ordered[i].Site.Offset + ordered[i].Site.Length > ordered[i - 1].Site.Offset)
            {
                throw new InvalidOperationException($"Two changes overlap at line {ordered[i].Site.Line}.");
            }
        }

        var builder = new StringBuilder(text);
        foreach (var (site, replacement) in ordered)
        {
            if (site.Offset < 0 || site.Offset + site.Length > text.Length || string.CompareOrdinal(text, site.Offset, site.Text, 0, site.Length) != 0 || site.Text.Length != site.Length)
            {
                throw new InvalidOperationException($"Line {site.Line} no longer reads '{site.Text}': the file changed since it was audited. Audit it again.");
            }

            builder.Remove(site.Offset, site.Length).Insert(site.Offset, replacement);
        }

        return builder.ToString();
    }

    /// <summary>
    /// Rewrites the file at <paramref name="path"/> atomically, keeping its byte-order mark, if and
    /// only if its whole content still has <paramref name="expectedDigest"/> (what the audit read):
    /// an edit anywhere in the file since, even one that leaves the sites' characters in place
    /// (<c>base:1.0.0</c> become <c>base:1.0.0-mine</c>), refuses the rewrite and leaves the file as it is.
    /// </summary>
    public static void Apply(string path, string expectedDigest, IEnumerable<(DockerfileImageSite Site, string Replacement)> changes)
    {
        byte[] original = File.ReadAllBytes(path);
        RequireUnchanged(path, original, expectedDigest);
        bool bom = HasBom(original);
        string text = Utf8NoBom.GetString(original, bom ? 3 : 0, original.Length - (bom ? 3 : 0));
        string updated = Rewrite(text, changes);

        byte[] body = Utf8NoBom.GetBytes(updated);
        byte[] content = bom ? new byte[] { 0xEF, 0xBB, 0xBF }.Concat(body).ToArray() : body;

        // Checked again once the new content is on disk: an editor may have saved in between.
        AtomicFile.Replace(path, content, () => RequireUnchanged(path, File.ReadAllBytes(path), expectedDigest));
    }

    private static void RequireUnchanged(string path, byte[] bytes, string expectedDigest)
    {
        if (!string.Equals(ContentDigest(bytes), expectedDigest, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{path} changed since it was audited (its content is no longer what the audit read); it was not touched. Audit it again with Get-RenkuImageUpgrade and update from that.");
        }
    }

    private static bool HasBom(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
}
