using System.Text;
using System.Text.RegularExpressions;

namespace Renku.PowerShell.Builds;

/// <summary>
/// The patterns of a build context's <c>.dockerignore</c>, read and matched the way the Docker CLI
/// does: comments and blank lines dropped, each pattern cleaned like a Go path, <c>*</c> and
/// <c>?</c> never crossing a <c>/</c>, <c>**</c> spanning any number of directories, <c>!</c>
/// re-including, the last matching pattern winning, and a pattern matching a parent directory
/// matching everything below it. Lines the CLI refuses (a syntax error in Go's path pattern
/// grammar, a lone <c>!</c>) are refused here too.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<DockerIgnorePattern> patterns;

    private DockerIgnore(List<DockerIgnorePattern> patterns)
    {
        this.patterns = patterns;
    }

    /// <summary>No patterns: everything is sent.</summary>
    public static DockerIgnore Empty => new(new List<DockerIgnorePattern>());

    public IReadOnlyList<DockerIgnorePattern> Patterns => patterns;

    /// <summary>True when at least one pattern starts with <c>!</c>.</summary>
    public bool HasExceptions => patterns.Any(p => p.IsException);

    /// <summary>
    /// Reads <c>.dockerignore</c> in <paramref name="contextDirectory"/>; none means <see cref="Empty"/>.
    /// A line Docker refuses throws <see cref="DockerIgnoreException"/>.
    /// </summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        string path = Path.Combine(contextDirectory, ".dockerignore");
        if (!File.Exists(path))
        {
            return Empty;
        }

        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return Parse(reader);
    }

    public static DockerIgnore Parse(string text)
    {
        using var reader = new StringReader(text);
        return Parse(reader);
    }

    /// <summary>
    /// Reads the patterns; a line Docker refuses (a malformed pattern or a lone <c>!</c>) throws
    /// <see cref="DockerIgnoreException"/> naming the line, so nothing is built from a file the
    /// docker CLI would not accept.
    /// </summary>
    public static DockerIgnore Parse(TextReader reader)
    {
        var result = new List<DockerIgnorePattern>();
        string? line;
        int number = 0;
        while ((line = reader.ReadLine()) is not null)
        {
            number++;
            if (number == 1 && line.Length > 0 && line[0] == '\uFEFF')
            {
                line = line.Substring(1);
            }

            // Comments are recognised before trimming, as the CLI does: " # x" is a pattern.
            if (line.StartsWith('#'))
            {
                continue;
            }

            string pattern = line.Trim();
            if (pattern.Length == 0)
            {
                continue;
            }

            string written = pattern;
            bool exception = pattern[0] == '!';
            if (exception)
            {
                pattern = pattern.Substring(1).Trim();
                if (pattern.Length == 0)
                {
                    throw new DockerIgnoreException(number, written, "a '!' needs a pattern after it");
                }
            }

            if (OperatingSystem.IsWindows())
            {
                pattern = pattern.Replace('\\', '/');
            }

            pattern = CleanPath(pattern);
            if (pattern.Length > 1 && pattern[0] == '/')
            {
                pattern = pattern.Substring(1);
            }

            string? problem = DockerIgnorePattern.SyntaxProblem(pattern);
            if (problem is not null)
            {
                throw new DockerIgnoreException(number, written, problem);
            }

            try
            {
                result.Add(new DockerIgnorePattern(pattern, exception, number));
            }
            catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
            {
                // An escape the expression engine does not know (such as \q), or one it cannot match
                // in linear time (\G, a back reference): Docker's matcher (Go's) fails on them too.
                throw new DockerIgnoreException(number, written, "it does not compile to a valid expression (" + ex.Message + ")", ex);
            }
        }

        return new DockerIgnore(result);
    }

    /// <summary>
    /// Returns a copy that always keeps <paramref name="relativePaths"/> (the Dockerfile and
    /// <c>.dockerignore</c>): when a pattern would drop one of them an exception is appended, as
    /// the Docker CLI does, so the engine always receives them.
    /// </summary>
    public DockerIgnore AlwaysKeeping(params string[] relativePaths)
    {
        var result = new List<DockerIgnorePattern>(patterns);
        var copy = new DockerIgnore(result);
        foreach (string relative in relativePaths)
        {
            string cleaned = CleanPath(relative.Replace('\\', '/'));
            if (copy.IsExcluded(cleaned))
            {
                result.Add(new DockerIgnorePattern(cleaned, exception: true));
            }
        }

        return copy;
    }

    /// <summary>
    /// Whether <paramref name="relativePath"/> (relative to the context, <c>/</c>-separated) is left
    /// out of the context: the last pattern that matches it or one of its parent directories decides.
    /// </summary>
    public bool IsExcluded(string relativePath)
    {
        string file = CleanPath(relativePath);
        string[] parentParts = ParentParts(file);
        bool excluded = false;
        foreach (DockerIgnorePattern pattern in patterns)
        {
            // An exclusion only matters while the path is still included, an exception only once excluded.
            if (pattern.IsException != excluded)
            {
                continue;
            }

            bool match = pattern.Matches(file);
            if (!match && parentParts.Length > 0)
            {
                var prefix = new StringBuilder();
                for (int i = 0; i < parentParts.Length && !match; i++)
                {
                    if (i > 0)
                    {
                        prefix.Append('/');
                    }

                    prefix.Append(parentParts[i]);
                    match = pattern.Matches(prefix.ToString());
                }
            }

            if (match)
            {
                excluded = !pattern.IsException;
            }
        }

        return excluded;
    }

    /// <summary>
    /// For an excluded directory: whether the walk must still look inside it because an exception
    /// pattern starts with the directory's path (the CLI's rule; it does not expand wildcards here).
    /// </summary>
    public bool MustDescendInto(string excludedDirectory)
    {
        if (!HasExceptions)
        {
            return false;
        }

        string directorySlash = CleanPath(excludedDirectory) + "/";
        return patterns.Any(p => p.IsException && (p.Text + "/").StartsWith(directorySlash, StringComparison.Ordinal));
    }

    /// <summary>Go's <c>path.Clean</c>: collapses separators, drops <c>.</c>, resolves <c>..</c>.</summary>
    internal static string CleanPath(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        bool rooted = path[0] == '/';
        var parts = new List<string>();
        foreach (string part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..")
                {
                    parts.RemoveAt(parts.Count - 1);
                }
                else if (!rooted)
                {
                    parts.Add(part);
                }

                continue;
            }

            parts.Add(part);
        }

        string joined = string.Join('/', parts);
        if (rooted)
        {
            return "/" + joined;
        }

        return joined.Length == 0 ? "." : joined;
    }

    private static string[] ParentParts(string file)
    {
        int slash = file.LastIndexOf('/');
        return slash <= 0 ? Array.Empty<string>() : file.Substring(0, slash).Split('/');
    }
}
