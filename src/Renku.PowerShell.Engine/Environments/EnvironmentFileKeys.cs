namespace Renku.PowerShell.Environments;

/// <summary>The known key an unknown one was most likely meant to be: <c>prot</c> → <c>port</c>, <c>containerImage</c> → <c>container_image</c>.</summary>
internal static class EnvironmentFileKeys
{
    /// <summary>Names people write for a key, from other tools' files (docker compose, Kubernetes, the cmdlets' parameters).</summary>
    private static readonly Dictionary<string, string> Synonyms = new(StringComparer.Ordinal)
    {
        ["image"] = EnvironmentFields.ContainerImage,
        ["arguments"] = EnvironmentFields.Args,
        ["archived"] = EnvironmentFields.IsArchived,
        ["archive"] = EnvironmentFields.IsArchived,
        ["workdir"] = EnvironmentFields.WorkingDirectory,
        ["workingdir"] = EnvironmentFields.WorkingDirectory,
        ["mountdir"] = EnvironmentFields.MountDirectory,
        ["url"] = EnvironmentFields.DefaultUrl,
        ["entrypoint"] = EnvironmentFields.Command,
        ["stripprefix"] = EnvironmentFields.StripPathPrefix,
    };

    /// <summary>The nearest of <paramref name="known"/>, or null when none is near enough to suggest.</summary>
    public static string? Nearest(string key, IEnumerable<string> known)
    {
        string wanted = Fold(key);
        if (wanted.Length == 0)
        {
            return null;
        }

        var candidates = known.ToList();
        string? same = candidates.FirstOrDefault(k => Fold(k) == wanted);
        if (same is not null)
        {
            return same;
        }

        if (Synonyms.TryGetValue(wanted, out string? synonym) && candidates.Contains(synonym))
        {
            return synonym;
        }

        // Typos: at most one edit in four characters, two at most (a transposition is one edit).
        int allowed = Math.Min(2, Math.Max(1, wanted.Length / 4));
        return candidates
            .Select(k => (Key: k, Distance: Distance(wanted, Fold(k))))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => c.Key)
            .FirstOrDefault();
    }

    /// <summary>Case, underscores, hyphens and spaces do not tell keys apart: <c>Container-Image</c> is <c>container_image</c>.</summary>
    private static string Fold(string key) => new(key.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>Optimal string alignment distance (Levenshtein with adjacent transpositions).</summary>
    internal static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (int j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }
}
