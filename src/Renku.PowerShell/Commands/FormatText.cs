namespace Renku.PowerShell.Commands;

/// <summary>
/// Text helpers for the module's views (<c>Formats/*.ps1xml</c>): a long value is shortened in
/// the middle to a column's width, so what identifies it (an image's registry, name and tag; a
/// path's file name) stays readable. PowerShell itself would cut it at the end.
/// </summary>
public static class FormatText
{
    /// <summary>The mark put where text was taken out, as PowerShell marks a cut value.</summary>
    public const char Ellipsis = '\u2026';

    /// <summary>
    /// An image reference in at most <paramref name="width"/> characters: the registry and the tag
    /// (or the start of the digest) are kept, then the last path segment, then as much of the
    /// path's start as fits; the middle is replaced by an ellipsis. A path or other text is
    /// shortened by <see cref="Middle"/>.
    /// </summary>
    public static string Image(object? value, int width)
    {
        string text = Text(value);
        if (text.Length <= width || width < 8)
        {
            return Middle(text, width);
        }

        if (text.StartsWith('/') || text.StartsWith('.') || text.Contains('\\') || text.Contains(' '))
        {
            return Middle(text, width);
        }

        // Suffix: the digest (its algorithm and first 12 hex digits) or the tag.
        string name = text;
        string suffix = string.Empty;
        int at = text.IndexOf('@');
        if (at >= 0)
        {
            name = text[..at];
            string digest = text[at..];
            suffix = digest.Length > 20 ? digest[..20] + Ellipsis : digest;
        }

        int lastSlash = name.LastIndexOf('/');
        int colon = name.LastIndexOf(':');
        if (colon > lastSlash)
        {
            suffix = name[colon..] + suffix;
            name = name[..colon];
        }

        // Head: the registry (a first component with a dot, a port or localhost), with its slash.
        string head = string.Empty;
        int firstSlash = name.IndexOf('/');
        if (firstSlash > 0)
        {
            string first = name[..firstSlash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                head = name[..(firstSlash + 1)];
                name = name[(firstSlash + 1)..];
            }
        }

        int slash = name.LastIndexOf('/');
        string last = slash >= 0 ? name[slash..] : name;
        string start = slash >= 0 ? name[..slash] : string.Empty;
        int room = width - head.Length - suffix.Length - last.Length - 1;
        if (start.Length > 0 && room >= 0)
        {
            return head + start[..Math.Min(room, start.Length)] + Ellipsis + last + suffix;
        }

        // The name's last segment alone is too long: cut inside the repository, keep registry and tag.
        int keep = width - head.Length - suffix.Length - 1;
        if (keep >= 6)
        {
            return head + Middle(name, keep + 1) + suffix;
        }

        return Middle(text, width);
    }

    /// <summary>
    /// Text in at most <paramref name="width"/> characters: the start and the (longer) end are
    /// kept, an ellipsis replaces the middle.
    /// </summary>
    public static string Middle(object? value, int width)
    {
        string text = Text(value);
        if (text.Length <= width || width < 1)
        {
            return text;
        }

        if (width < 4)
        {
            return text[..(width - 1)] + Ellipsis;
        }

        int front = (width - 1) / 2;
        int back = width - 1 - front;
        return text[..front] + Ellipsis + text[^back..];
    }

    private static string Text(object? value) => value switch
    {
        null => string.Empty,
        System.Management.Automation.PSObject wrapped => Text(wrapped.BaseObject),
        _ => value.ToString() ?? string.Empty,
    };
}
