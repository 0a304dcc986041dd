namespace Renku.PowerShell.Dockerfiles;

/// <summary>
/// A parsed Dockerfile: parser directives, instructions with their exact source spans, the
/// global build arguments and the build stages.
/// </summary>
public sealed class DockerfileDocument
{
    /// <summary>The file read, when it came from a file.</summary>
    public string? Path { get; init; }

    /// <summary>The whole text as read.</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>Parser directives from the top of the file (<c>syntax</c>, <c>escape</c>, <c>check</c>), by lower-case name.</summary>
    public IReadOnlyDictionary<string, string> Directives { get; init; } = new Dictionary<string, string>();

    /// <summary>The escape character in effect (<c>\</c> unless a directive changed it to a backtick).</summary>
    public char EscapeCharacter { get; init; } = '\\';

    public IReadOnlyList<DockerfileInstruction> Instructions { get; init; } = Array.Empty<DockerfileInstruction>();

    /// <summary>ARGs declared before the first FROM, with their defaults (null when none).</summary>
    public IReadOnlyDictionary<string, string?> GlobalArguments { get; init; } = new Dictionary<string, string?>();

    public IReadOnlyList<DockerfileStage> Stages { get; init; } = Array.Empty<DockerfileStage>();

    /// <summary>The stage that produces the image (the last one), or null for a file without FROM.</summary>
    public DockerfileStage? FinalStage => Stages.Count == 0 ? null : Stages[^1];

    /// <summary>Parses Dockerfile text. <paramref name="buildArguments"/> override ARG defaults, like <c>--build-arg</c>.</summary>
    public static DockerfileDocument Parse(string text, string? path = null, IReadOnlyDictionary<string, string>? buildArguments = null) =>
        Dockerfiles.DockerfileParser.Parse(text, path, buildArguments);

    /// <summary>Reads and parses a Dockerfile.</summary>
    public static DockerfileDocument Load(string path, IReadOnlyDictionary<string, string>? buildArguments = null) =>
        Parse(File.ReadAllText(path), System.IO.Path.GetFullPath(path), buildArguments);
}
