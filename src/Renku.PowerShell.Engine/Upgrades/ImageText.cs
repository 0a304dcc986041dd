namespace Renku.PowerShell.Upgrades;

/// <summary>Edits an image reference as written, keeping the way it was written (short names stay short).</summary>
public static class ImageText
{
    /// <summary>
    /// Replaces the tag (and any digest) of <paramref name="written"/> with <paramref name="tag"/>,
    /// adding <c>@digest</c> when <paramref name="digest"/> is given.
    /// </summary>
    public static string WithTag(string written, string tag, string? digest = null)
    {
        string name = written;
        int at = name.IndexOf('@');
        if (at >= 0)
        {
            name = name.Substring(0, at);
        }

        int slash = name.LastIndexOf('/');
        int colon = name.LastIndexOf(':');
        if (colon > slash)
        {
            name = name.Substring(0, colon);
        }

        return name + ":" + tag + (digest is null ? string.Empty : "@" + digest);
    }
}
