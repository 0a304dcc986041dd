namespace Renku.PowerShell.Registry;

/// <summary>A parsed <c>WWW-Authenticate</c> challenge: scheme and its parameters.</summary>
internal sealed class AuthChallenge
{
    private AuthChallenge(string scheme, IReadOnlyDictionary<string, string> parameters)
    {
        Scheme = scheme;
        Parameters = parameters;
    }

    internal string Scheme { get; }

    internal IReadOnlyDictionary<string, string> Parameters { get; }

    internal bool IsBearer => string.Equals(Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);

    internal bool IsBasic => string.Equals(Scheme, "Basic", StringComparison.OrdinalIgnoreCase);

    internal string? this[string name] => Parameters.TryGetValue(name, out string? value) ? value : null;

    /// <summary>Parses <c>Bearer realm="...",service="...",scope="a b"</c>; null when there is no scheme.</summary>
    internal static AuthChallenge? Parse(string? header)
    {
        if (string.IsNullOrWhiteSpace(header))
        {
            return null;
        }

        string text = header.Trim();
        int space = text.IndexOf(' ');
        string scheme = space < 0 ? text : text.Substring(0, space);
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        int i = space < 0 ? text.Length : space + 1;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ' ' || text[i] == ','))
            {
                i++;
            }

            int eq = text.IndexOf('=', i);
            if (eq < 0)
            {
                break;
            }

            string name = text.Substring(i, eq - i).Trim();
            i = eq + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var builder = new System.Text.StringBuilder();
                i++;
                while (i < text.Length && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < text.Length)
                    {
                        i++;
                    }

                    builder.Append(text[i]);
                    i++;
                }

                i++;
                value = builder.ToString();
            }
            else
            {
                int end = text.IndexOf(',', i);
                end = end < 0 ? text.Length : end;
                value = text.Substring(i, end - i).Trim();
                i = end;
            }

            if (name.Length > 0)
            {
                parameters[name] = value;
            }
        }

        return new AuthChallenge(scheme, parameters);
    }
}
