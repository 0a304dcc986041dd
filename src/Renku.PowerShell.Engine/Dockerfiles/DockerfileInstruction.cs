namespace Renku.PowerShell.Dockerfiles;

/// <summary>
/// One Dockerfile instruction with its exact place in the source, so that tools can point at it
/// (compliance findings) or replace it in place (rewriting a FROM line).
/// </summary>
public sealed class DockerfileInstruction
{
    /// <summary>The instruction keyword in upper case (<c>FROM</c>, <c>USER</c>, ...).</summary>
    public string Keyword { get; init; } = string.Empty;

    /// <summary>
    /// Everything after the keyword and its flags, with continuation lines joined as Docker joins them and
    /// comment lines inside the continuation left out.
    /// </summary>
    public string Arguments { get; init; } = string.Empty;

    /// <summary>Flags written before the arguments (<c>--platform</c>, <c>--from</c>, <c>--chown</c>), by name without dashes.</summary>
    public IReadOnlyDictionary<string, string> Flags { get; init; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The arguments of the JSON (exec) form (<c>["a", "b"]</c>), or null for the shell form.</summary>
    public IReadOnlyList<string>? ExecForm { get; init; }

    /// <summary>First line of the instruction, 1-based.</summary>
    public int StartLine { get; init; }

    /// <summary>Last line of the instruction (continuations and heredocs included), 1-based.</summary>
    public int EndLine { get; init; }

    /// <summary>Character offset of the instruction's first character in the file text.</summary>
    public int StartOffset { get; init; }

    /// <summary>Number of characters the instruction spans, up to but excluding the final line break.</summary>
    public int Length { get; init; }

    /// <summary>The instruction exactly as written (all its lines, without the final line break).</summary>
    public string SourceText { get; init; } = string.Empty;

    /// <summary>Index of the build stage the instruction belongs to; -1 before the first FROM.</summary>
    public int StageIndex { get; init; }

    public override string ToString() => $"{StartLine}: {Keyword} {Arguments}";
}
