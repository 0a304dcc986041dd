using System.Text;
using System.Text.RegularExpressions;

namespace Renku.PowerShell.Docker;

/// <summary>One <c>.dockerignore</c> line, compiled.</summary>
public sealed class DockerIgnorePattern
{
    private readonly Regex? regex;

    internal DockerIgnorePattern(string text, bool exception)
    {
        Text = text;
        IsException = exception;
        regex = text.Length == 0 ? null : Compile(text);
    }

    /// <summary>The cleaned pattern, without the leading <c>!</c>.</summary>
    public string Text { get; }

    /// <summary>True for a <c>!</c> line, which re-includes what earlier lines excluded.</summary>
    public bool IsException { get; }

    public bool Matches(string relativePath) => regex is not null && regex.IsMatch(relativePath);

    public override string ToString() => (IsException ? "!" : string.Empty) + Text;

    private static Regex Compile(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
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

                    regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                }
                else
                {
                    regex.Append("[^/]*");
                }
            }
            else if (ch == '?')
            {
                regex.Append("[^/]");
            }
            else if (ch == '\\' && !OperatingSystem.IsWindows())
            {
                // A backslash escapes the next character (not on Windows, where it separated paths).
                if (i + 1 < pattern.Length)
                {
                    i++;
                    regex.Append(Regex.Escape(pattern[i].ToString()));
                }
                else
                {
                    regex.Append(@"\\");
                }
            }
            else if (ch == '[')
            {
                // A character class passes through; "[!" is the shell's negation, as "[^" in a regex.
                int close = pattern.IndexOf(']', i + 1);
                if (close < 0)
                {
                    regex.Append(@"\[");
                    continue;
                }

                string body = pattern.Substring(i + 1, close - i - 1);
                if (body.StartsWith('!'))
                {
                    body = "^" + body.Substring(1);
                }

                regex.Append('[').Append(body.Replace(@"\", @"\\")).Append(']');
                i = close;
            }
            else
            {
                regex.Append(Regex.Escape(ch.ToString()));
            }
        }

        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline);
    }
}
