namespace Renku.PowerShell.Images;

/// <summary>Reads os-release(5): <c>KEY=value</c> lines, values optionally quoted.</summary>
internal static class OsRelease
{
    internal static IReadOnlyDictionary<string, string> Parse(string content)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string rawLine in content.Split('\n'))
        {
            string line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int eq = line.IndexOf('=');
            if (eq <= 0)
            {
                continue;
            }

            string key = line.Substring(0, eq).Trim();
            string value = line.Substring(eq + 1).Trim();
            if (value.Length >= 2 && (value[0] == '"' || value[0] == '\'') && value[^1] == value[0])
            {
                value = value.Substring(1, value.Length - 2);
                if (line[eq + 1] == '"')
                {
                    value = value.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\$", "$", StringComparison.Ordinal).Replace("\\`", "`", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);
                }
            }

            values[key] = value;
        }

        return values;
    }
}
