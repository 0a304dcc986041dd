namespace Renku.PowerShell;

/// <summary>
/// One problem of an environments file, in the file's terms: where it is (file, line, entry, key),
/// what is wrong and, where there is one, what to write instead. <see cref="Message"/> is one
/// paragraph (no line breaks: the host wraps it); <see cref="ErrorId"/> is stable.
/// </summary>
public sealed class EnvironmentFileProblem
{
    public EnvironmentFileProblem(string errorId, string path, long? line, string? entry, string? key, string problem, string? suggestion = null, bool fatal = false)
    {
        ErrorId = errorId;
        Path = path;
        Line = line;
        Entry = entry;
        Key = key;
        Problem = OneParagraph(problem);
        Suggestion = suggestion is null ? null : OneParagraph(suggestion);
        IsFatal = fatal;
    }

    /// <summary>
    /// The stable id: <c>EnvironmentFileSyntaxError</c> (the text cannot be read as YAML or JSON),
    /// <c>EnvironmentFileShapeInvalid</c> (not an <c>environments</c> list of entries),
    /// <c>EnvironmentFileUnknownKey</c>, <c>EnvironmentFileWrongType</c>,
    /// <c>DuplicateEnvironmentName</c>, or <c>InvalidEnvironment</c> and the parameter for a value
    /// Renku would refuse or a required one that is missing (<c>InvalidEnvironmentImage</c>).
    /// </summary>
    public string ErrorId { get; }

    public string Path { get; }

    /// <summary>1-based; null when the problem is the file as a whole.</summary>
    public long? Line { get; }

    /// <summary>The entry, as messages name it: <c>environments[2] (name: Broken)</c>; null for the file as a whole.</summary>
    public string? Entry { get; }

    /// <summary>The key as the file writes it (<c>prot</c>, <c>port</c>); null when the problem is not one key's.</summary>
    public string? Key { get; }

    /// <summary>What is wrong, without the place.</summary>
    public string Problem { get; }

    /// <summary>What to write instead, when the checker can say (<c>did you mean 'port'?</c>).</summary>
    public string? Suggestion { get; }

    /// <summary>True when the file could not be read far enough to check the rest (a syntax error, no <c>environments</c> list).</summary>
    public bool IsFatal { get; }

    /// <summary>The place and the problem, one paragraph: <c>envs.yaml, line 4: environments[0] (name: A).port must be ...</c>.</summary>
    public string Message => (Line is null ? $"{Path}: " : $"{Path}, line {Line}: ") + Text;

    /// <summary>The problem and the suggestion, without the file and line.</summary>
    public string Text => Suggestion is null ? Problem : $"{Problem} {Suggestion}";

    public override string ToString() => Message;

    private static string OneParagraph(string text) =>
        string.Join(' ', text.Split(new[] { "\r\n", "\n", "\r" }, StringSplitOptions.None).Select(l => l.Trim()).Where(l => l.Length > 0));
}
