using System.Text.RegularExpressions;

namespace Renku.PowerShell.Sessions;

/// <summary>
/// The last lines a check container or pod printed, as a report may carry them: at most
/// <see cref="MaxLines"/> lines of at most <see cref="MaxLineLength"/> characters each, with
/// anything that looks like a credential masked (bearer tokens, JWTs, and the values of
/// variables or options named like a token, secret, password or key).
/// </summary>
public static partial class OutputTail
{
    /// <summary>How many lines a result keeps.</summary>
    public const int MaxLines = 20;

    /// <summary>How many characters of one line a result keeps.</summary>
    public const int MaxLineLength = 400;

    /// <summary>What stands in for a masked value.</summary>
    public const string Mask = "***";

    /// <summary>The last <paramref name="lines"/> (at most <see cref="MaxLines"/>) of <paramref name="output"/>, empty lines left out, each bounded and masked.</summary>
    public static IReadOnlyList<string> Of(IEnumerable<string> output, int lines = MaxLines)
    {
        ArgumentNullException.ThrowIfNull(output);
        int keep = Math.Clamp(lines, 0, MaxLines);
        return output
            .SelectMany(l => l.Split('\n'))
            .Select(l => l.TrimEnd('\r'))
            .Where(l => l.Trim().Length > 0)
            .TakeLast(keep)
            .Select(Scrub)
            .ToArray();
    }

    /// <summary>One line with credentials masked, cut to <see cref="MaxLineLength"/> characters.</summary>
    public static string Scrub(string line)
    {
        ArgumentNullException.ThrowIfNull(line);

        // Cut first: the patterns then never see more than a line's worth, whatever a job prints.
        string text = line.Length <= MaxLineLength ? line : string.Concat(line.AsSpan(0, MaxLineLength - 1), "…");
        try
        {
            text = Jwt().Replace(text, Mask);
            text = Bearer().Replace(text, m => m.Groups["scheme"].Value + " " + Mask);
            text = NamedSecret().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
            text = SecretOption().Replace(text, m => m.Groups["name"].Value + m.Groups["sep"].Value + Mask);
            return UrlPassword().Replace(text, m => m.Groups["scheme"].Value + m.Groups["user"].Value + ":" + Mask + "@");
        }
        catch (RegexMatchTimeoutException)
        {
            return Withheld;
        }
    }

    /// <summary>What stands in for a line that could not be checked for credentials in time.</summary>
    public const string Withheld = "(line withheld: it could not be checked for credentials)";

    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*", RegexOptions.CultureInvariant, 250)]
    private static partial Regex Jwt();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic))\s+[A-Za-z0-9._~+/=-]{8,}", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 250)]
    private static partial Regex Bearer();

    [GeneratedRegex(@"(?<name>[A-Za-z0-9_.-]*(?:token|secret|password|passwd|api[_-]?key|access[_-]?key|private[_-]?key|credential)[A-Za-z0-9_.-]*)(?<sep>\s*[=:]\s*)(?!\*\*\*)(?<value>""[^""]*""|'[^']*'|\S+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 250)]
    private static partial Regex NamedSecret();

    [GeneratedRegex(@"(?<name>(?<![\w-])--?[A-Za-z-]*(?:token|secret|password)[A-Za-z-]*)(?<sep>\s+)(?!\*\*\*)\S+", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 250)]
    private static partial Regex SecretOption();

    [GeneratedRegex(@"(?<scheme>[a-z][a-z0-9+.-]*://)(?<user>[^:/@\s]+):[^@/\s]+@", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase, 250)]
    private static partial Regex UrlPassword();
}
