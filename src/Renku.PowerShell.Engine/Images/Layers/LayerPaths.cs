namespace Renku.PowerShell.Images.Layers;

/// <summary>Paths inside layers: relative, without <c>./</c>, and symlink targets resolved against them.</summary>
internal static class LayerPaths
{
    /// <summary><c>./etc/passwd</c>, <c>/etc/passwd</c> and <c>etc//passwd/</c> all become <c>etc/passwd</c>.</summary>
    internal static string Normalise(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Replace('\\', '/').Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    /// <summary>The parent directory (<c>etc</c> for <c>etc/passwd</c>, empty at the root).</summary>
    internal static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? string.Empty : path.Substring(0, slash);
    }

    internal static string Name(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? path : path.Substring(slash + 1);
    }

    /// <summary>Every proper ancestor directory, nearest first (<c>usr/lib</c>, <c>usr</c>).</summary>
    internal static IEnumerable<string> Ancestors(string path)
    {
        string current = Parent(path);
        while (current.Length > 0)
        {
            yield return current;
            current = Parent(current);
        }
    }

    /// <summary>Where a symlink at <paramref name="linkPath"/> pointing to <paramref name="target"/> leads (never above the root).</summary>
    internal static string ResolveLink(string linkPath, string target) =>
        target.StartsWith('/') ? Normalise(target) : Normalise(Parent(linkPath) + "/" + target);

    /// <summary>The absolute form shown to users.</summary>
    internal static string Absolute(string path) => "/" + path;
}
