using System.Text;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// Replaces image references in a Dockerfile in place. Only the characters of each site change:
/// comments, spacing, <c>AS name</c>, flags, line endings and a byte-order mark stay as they were.
/// </summary>
public static class DockerfileRewriter
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Reads a Dockerfile's text the way the rewriter will write it back.</summary>
    public static string ReadText(string path)
    {
        byte[] bytes = File.ReadAllBytes(path);
        int bom = HasBom(bytes) ? 3 : 0;
        return Utf8NoBom.GetString(bytes, bom, bytes.Length - bom);
    }

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

    /// <summary>Rewrites the file at <paramref name="path"/> atomically, keeping its byte-order mark.</summary>
    public static void Apply(string path, IEnumerable<(DockerfileImageSite Site, string Replacement)> changes)
    {
        byte[] original = File.ReadAllBytes(path);
        bool bom = HasBom(original);
        string text = Utf8NoBom.GetString(original, bom ? 3 : 0, original.Length - (bom ? 3 : 0));
        string updated = Rewrite(text, changes);

        byte[] body = Utf8NoBom.GetBytes(updated);
        string temporary = path + ".renku-tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            if (bom)
            {
                stream.Write(new byte[] { 0xEF, 0xBB, 0xBF });
            }

            stream.Write(body);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, File.GetUnixFileMode(path));
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static bool HasBom(byte[] bytes) => bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
}
