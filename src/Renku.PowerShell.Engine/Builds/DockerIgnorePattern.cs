using System.Text;
using System.Text.RegularExpressions;

namespace Renku.PowerShell.Builds;

/// <summary>
/// One <c>.dockerignore</c> line, compiled the way Docker's pattern matcher compiles it: the
/// pattern is turned into a regular expression one character at a time, with <c>*</c> and
/// <c>?</c> never crossing a <c>/</c>, <c>**</c> spanning directories, a backslash escaping the next
/// character, and character classes passed through as written (so <c>[\]a]</c> holds <c>]</c> and
/// <c>a</c>, <c>[\-x]</c> holds <c>-</c> and <c>x</c>, and <c>[!x]</c> holds <c>!</c> and <c>x</c>:
/// only <c>^</c> negates, as in Go). Patterns without wildcards compare as plain text, a pattern
/// ending in <c>**</c> as a prefix and one starting with <c>**</c> as a suffix, as Docker does.
/// </summary>
public sealed class DockerIgnorePattern
{
    // Characters a regular expression reads specially that a path pattern does not.
    private const string RegexOnlySpecials = ".+()|{}$";

    private readonly MatchKind kind;
    private readonly Regex? regex;

    internal DockerIgnorePattern(string text, bool exception, int line = 0)
    {
        Text = text;
        IsException = exception;
        Line = line;
        (kind, regex) = text.Length == 0 ? (MatchKind.Nothing, null) : Compile(text);
    }

    private enum MatchKind
    {
        Nothing,
        Exact,
        Prefix,
        Suffix,
        Expression,
    }

    /// <summary>The cleaned pattern, without the leading <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>True for a <c>!</c> line, which re-includes what earlier lines excluded.</summary>
    public bool IsException { get; }

    /// <summary>The line of <c>.dockerignore</c> the pattern came from (0 when it was added, not read).</summary>
    public int Line { get; }

    public bool Matches(string relativePath) => kind switch
    {
        MatchKind.Exact => string.Equals(relativePath, Text, StringComparison.Ordinal),
        MatchKind.Prefix => relativePath.StartsWith(Text[..^2], StringComparison.Ordinal),
        MatchKind.Suffix => relativePath.EndsWith(Text[2..], StringComparison.Ordinal) || (Text.Length > 2 && Text[2] == '/' && string.Equals(relativePath, Text[3..], StringComparison.Ordinal)),
        MatchKind.Expression => regex!.IsMatch(relativePath),
        _ => false,
    };

    public override string ToString() => (IsException ? "!" : string.Empty) + Text;

    /// <summary>
    /// Why <paramref name="pattern"/> is not a valid path pattern in Go's <c>filepath.Match</c>
    /// grammar (which Docker uses to refuse a .dockerignore), or null when it is valid.
    /// </summary>
    internal static string? SyntaxProblem(string pattern)
    {
        bool escapes = !OperatingSystem.IsWindows();
        for (int i = 0; i < pattern.Length; i++)
        {
            char ch = pattern[i];
            if (ch == '\\' && escapes)
            {
                if (i + 1 >= pattern.Length)
                {
                    return "it ends with a backslash that escapes nothing";
                }

                i++;
            }
            else if (ch == '[')
            {
                string? problem = ClassProblem(pattern, ref i, escapes);
                if (problem is not null)
                {
                    return problem;
                }
            }
        }

        return null;
    }

    /// <summary>Checks the class that opens at <paramref name="i"/> and leaves <paramref name="i"/> on its closing <c>]</c>.</summary>
    private static string? ClassProblem(string pattern, ref int i, bool escapes)
    {
        int start = i;
        i++;
        if (i < pattern.Length && pattern[i] == '^')
        {
            i++;
        }

        int ranges = 0;
        while (true)
        {
            if (i < pattern.Length && pattern[i] == ']' && ranges > 0)
            {
                return null;
            }

            string? low = ClassCharacterProblem(pattern, ref i, escapes, start, low: true);
            if (low is not null)
            {
                return low;
            }

            if (pattern[i] == '-')
            {
                i++;
                string? high = ClassCharacterProblem(pattern, ref i, escapes, start, low: false);
                if (high is not null)
                {
                    return high == EndOfRange ? $"the range in the character class at position {start + 1} has no end (escape a literal '-' as '\\-')" : high;
                }
            }

            ranges++;
        }
    }

    private const string EndOfRange = "end-of-range";

    /// <summary>
    /// One character of a class (possibly escaped), the start (<paramref name="low"/>) or the end of
    /// a range; leaves <paramref name="i"/> after it.
    /// </summary>
    private static string? ClassCharacterProblem(string pattern, ref int i, bool escapes, int start, bool low)
    {
        string unclosed = $"the character class at position {start + 1} is not closed with ']'";
        if (i >= pattern.Length)
        {
            return unclosed;
        }

        if (pattern[i] == ']')
        {
            // A ']' where a range starts can only be the first character: the class is empty.
            return low ? $"the character class at position {start + 1} is empty (escape a literal ']' as '\\]')" : EndOfRange;
        }

        if (pattern[i] == '-')
        {
            return low ? $"the character class at position {start + 1} has a '-' that starts no range (escape a literal '-' as '\\-')" : EndOfRange;
        }

        if (pattern[i] == '\\' && escapes)
        {
            i++;
            if (i >= pattern.Length)
            {
                return unclosed;
            }
        }

        i++;
        return i >= pattern.Length ? unclosed : null;
    }

    private static (MatchKind Kind, Regex? Regex) Compile(string pattern)
    {
        var expression = new StringBuilder("^");
        MatchKind kind = MatchKind.Exact;
        bool escapes = !OperatingSystem.IsWindows();
        for (int i = 0; i < pattern.Length; i++)
        {
            bool first = i == 0;
            char ch = pattern[i];
            if (ch == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    i++;

                    // "**/" counts as "**": the slash is part of what it spans.
                    if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                    {
                        i++;
                    }

                    if (i + 1 >= pattern.Length)
                    {
                        if (kind == MatchKind.Exact)
                        {
                            kind = MatchKind.Prefix;
                        }
                        else
                        {
                            expression.Append(".*");
                            kind = MatchKind.Expression;
                        }
                    }
                    else
                    {
                        expression.Append("(.*/)?");
                        kind = MatchKind.Expression;
                    }

                    if (first)
                    {
                        kind = MatchKind.Suffix;
                    }
                }
                else
                {
                    expression.Append("[^/]*");
                    kind = MatchKind.Expression;
                }
            }
            else if (ch == '?')
            {
                expression.Append("[^/]");
                kind = MatchKind.Expression;
            }
            else if (RegexOnlySpecials.Contains(ch, StringComparison.Ordinal))
            {
                expression.Append('\\').Append(ch);
            }
            else if (ch == '\\')
            {
                if (!escapes)
                {
                    expression.Append(@"\\");
                }
                else if (i + 1 < pattern.Length)
                {
                    // The escaped character goes into the expression escaped, inside a class or not.
                    // Go's expressions read an escaped ASCII character that is neither a letter nor a
                    // digit as itself; .NET's refuse '\_' ('_' is a word character), so it goes in bare.
                    i++;
                    if (pattern[i] == '_')
                    {
                        expression.Append('_');
                    }
                    else
                    {
                        expression.Append('\\').Append(pattern[i]);
                    }

                    kind = MatchKind.Expression;
                }
                else
                {
                    expression.Append(@"\\");
                }
            }
            else if (ch is '[' or ']')
            {
                expression.Append(ch);
                kind = MatchKind.Expression;
            }
            else
            {
                expression.Append(ch);
            }
        }

        if (kind != MatchKind.Expression)
        {
            return (kind, null);
        }

        // Go's "$" ends the text; .NET's would also match before a final newline.
        expression.Append(@"\z");
        // Matched without backtracking, in time linear in the path, as Go's regexp does: a pattern
        // such as "*a*a*a*a*b" must not take exponential time on a long name.
        return (kind, new Regex(expression.ToString(), RegexOptions.CultureInvariant | RegexOptions.NonBacktracking));
    }
}
