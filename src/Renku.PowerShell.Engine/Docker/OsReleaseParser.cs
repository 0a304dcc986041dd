namespace Renku.PowerShell.Docker;

/// <summary>Reads os-release(5): KEY=value lines, values optionally quoted.</summary>
internal static class OsReleaseParser
{
    internal static IReadOnlyDictionary<string, string> Parse(string? content)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (content is null)
        {
            return values;
        }

        foreach (string raw in content.Split('\n'))
        {
            string line = raw.Trim();
            int equals = line.IndexOf('=');
            if (line.Length == 0 || line.StartsWith('#') || equals <= 0)
            {
                continue;
            }

            string value = line[(equals + 1)..].Trim();
            if (value.Length >= 2 && (value[0] is '"' or '\'') && value[^1] == value[0])
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            values[line[..equals]] = value;
        }

        return values;
    }
}
