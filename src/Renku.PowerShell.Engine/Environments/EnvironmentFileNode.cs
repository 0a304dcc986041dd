namespace Renku.PowerShell.Environments;

/// <summary>
/// One value of an environments file as its reader found it, YAML or JSON alike: a mapping, a
/// list or a scalar, with the line it starts on. What the file's text said is kept (a scalar's
/// text, and whether it was written as a string), so that a wrong value is named as written.
/// </summary>
internal sealed class EnvironmentFileNode
{
    private EnvironmentFileNode(EnvironmentFileNodeKind kind, long line)
    {
        Kind = kind;
        Line = line;
    }

    public EnvironmentFileNodeKind Kind { get; }

    /// <summary>1-based.</summary>
    public long Line { get; }

    /// <summary>A mapping's keys in file order, each with the line of the key and its value.</summary>
    public List<(string Key, long Line, EnvironmentFileNode Value)> Entries { get; } = new();

    public List<EnvironmentFileNode> Items { get; } = new();

    /// <summary>A scalar's text (null for a null).</summary>
    public string? Text { get; private init; }

    /// <summary>True when the scalar was written as a string (JSON quotes, YAML quotes or block); false for plain YAML and JSON literals.</summary>
    public bool IsQuoted { get; private init; }

    public static EnvironmentFileNode Mapping(long line) => new(EnvironmentFileNodeKind.Mapping, line);

    public static EnvironmentFileNode Sequence(long line) => new(EnvironmentFileNodeKind.Sequence, line);

    public static EnvironmentFileNode Scalar(long line, string text, bool quoted) => new(EnvironmentFileNodeKind.Scalar, line) { Text = text, IsQuoted = quoted };

    public static EnvironmentFileNode Null(long line) => new(EnvironmentFileNodeKind.Null, line);

    /// <summary>How a message names the kind of value found (<c>a list</c>, <c>the number 12</c>).</summary>
    public string Describe() => Kind switch
    {
        EnvironmentFileNodeKind.Mapping => "a mapping (keys and values)",
        EnvironmentFileNodeKind.Sequence => "a list",
        EnvironmentFileNodeKind.Null => "empty (null)",
        _ => IsQuoted ? $"the text '{Text}'" : $"'{Text}'",
    };
}
