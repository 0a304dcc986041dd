namespace Renku.PowerShell.Environments;

/// <summary>
/// One entry of an environments file: the environment it asks for, and where it stands in the file
/// (its index, its name as written and the line of each key), so that a bad value is named in the
/// file's terms: <c>environments[2] (name: Broken).container_image</c>, line 14.
/// </summary>
public sealed class EnvironmentFileItem
{
    internal EnvironmentFileItem(int index, long line, string? name, EnvironmentSpec spec, IReadOnlyDictionary<string, long> keyLines, IReadOnlyDictionary<string, object> outOfRange, IReadOnlySet<string>? unreadKeys = null)
    {
        UnreadKeys = unreadKeys ?? new HashSet<string>();
        Index = index;
        Line = line;
        Name = name;
        Spec = spec;
        KeyLines = keyLines;
        OutOfRange = outOfRange;
    }

    /// <summary>0-based, as in <c>environments[0]</c> (the JSONPath and yq form).</summary>
    public int Index { get; }

    /// <summary>The line the entry starts on (1-based).</summary>
    public long Line { get; }

    /// <summary>The entry's name as written, or null when it has none.</summary>
    public string? Name { get; }

    public EnvironmentSpec Spec { get; }

    /// <summary>The line of each key the entry writes.</summary>
    internal IReadOnlyDictionary<string, long> KeyLines { get; }

    /// <summary>Whole numbers the file gives that no environment field can hold (they are refused by validation, named as written).</summary>
    internal IReadOnlyDictionary<string, object> OutOfRange { get; }

    /// <summary>Keys whose value could not be read (a wrong type, an unknown key): their problem is reported already, so validation leaves them.</summary>
    internal IReadOnlySet<string> UnreadKeys { get; }

    /// <summary>True when the file writes <paramref name="field"/>'s key.</summary>
    internal bool Writes(string field) => KeyLines.ContainsKey(field);

    /// <summary>The entry, as a message names it: <c>environments[2] (name: Broken)</c>.</summary>
    public string Entry => Name is null ? $"environments[{Index}]" : $"environments[{Index}] (name: {Name})";

    /// <summary>A key of the entry, as a message names it: <c>environments[2] (name: Broken).container_image</c>.</summary>
    public string KeyPath(string field) => Entry + "." + field;

    /// <summary>The line of <paramref name="field"/>'s key, or of the entry when the file leaves the field out.</summary>
    public long LineOf(string field) => KeyLines.TryGetValue(field, out long line) ? line : Line;

    /// <summary>The value validation checks: the spec's, or the out-of-range number as the file wrote it.</summary>
    internal object? ValueOf(string field) => OutOfRange.TryGetValue(field, out object? raw) ? raw : Spec.Get(field);
}
