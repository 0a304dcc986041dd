namespace Renku.PowerShell.Builds;

/// <summary>A <c>.dockerignore</c> line Docker refuses (a syntax error in a pattern, a lone <c>!</c>).</summary>
public sealed class DockerIgnoreException : FormatException
{
    public DockerIgnoreException(int line, string text, string problem, Exception? innerException = null)
        : base($".dockerignore line {line}: '{text}' is not a valid pattern: {problem}. The docker CLI refuses the build for it too; fix or remove the line.", innerException)
    {
        Line = line;
        Text = text;
        Problem = problem;
    }

    /// <summary>The line number, from 1.</summary>
    public int Line { get; }

    /// <summary>The line as written (trimmed).</summary>
    public string Text { get; }

    public string Problem { get; }
}
