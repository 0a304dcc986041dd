using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Renku.PowerShell.Environments;

/// <summary>
/// Reads the text of an environments file into <see cref="EnvironmentFileNode"/>s, YAML from the
/// parser's events and JSON from the reader's tokens, both without recursion (a hostile file cannot
/// exhaust the stack) and with the line of every value. A syntax error names the line and says
/// what the YAML or JSON parser found, in the file's terms.
/// </summary>
internal static class EnvironmentFileParser
{
    /// <summary>Deeper nesting than this is not an environments file.</summary>
    internal const int MaxDepth = 64;

    private static readonly Regex YamlPosition = new(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*", RegexOptions.CultureInvariant);
    private static readonly Regex JsonPosition = new(@"\s*(Path: \S*\s*\|\s*)?LineNumber: \d+ \| BytePositionInLine: \d+\.?$", RegexOptions.CultureInvariant);
    private static readonly HashSet<string> YamlNulls = new(StringComparer.Ordinal) { string.Empty, "~", "null", "Null", "NULL" };

    /// <summary>The root value of a YAML file, or null for a file without one.</summary>
    public static EnvironmentFileNode? ParseYaml(string path, string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, EnvironmentFileNode>(StringComparer.Ordinal);
        var open = new Stack<Frame>();
        EnvironmentFileNode? root = null;
        int documents = 0;
        try
        {
            while (parser.MoveNext())
            {
                ParsingEvent current = parser.Current!;
                long line = current.Start.Line;
                switch (current)
                {
                    case DocumentStart when ++documents > 1:
                        throw new EnvironmentFileException(path, line, "the file holds more than one YAML document; an environments file holds one.");
                    case MappingStart mapping:
                        Open(path, open, EnvironmentFileNode.Mapping(line), mapping.Anchor.IsEmpty ? null : mapping.Anchor.Value, anchors);
                        break;
                    case SequenceStart sequence:
                        Open(path, open, EnvironmentFileNode.Sequence(line), sequence.Anchor.IsEmpty ? null : sequence.Anchor.Value, anchors);
                        break;
                    case MappingEnd or SequenceEnd:
                        EnvironmentFileNode done = open.Pop().Node;
                        root = Attach(path, open, done, line) ?? root;
                        break;
                    case Scalar scalar:
                        {
                            bool quoted = scalar.Style is not ScalarStyle.Plain || (scalar.Tag.IsGlobal && scalar.Tag.Value == "tag:yaml.org,2002:str");
                            EnvironmentFileNode node = !quoted && YamlNulls.Contains(scalar.Value)
                                ? EnvironmentFileNode.Null(line)
                                : EnvironmentFileNode.Scalar(line, scalar.Value, quoted);
                            if (!scalar.Anchor.IsEmpty)
                            {
                                anchors[scalar.Anchor.Value] = node;
                            }

                            root = Attach(path, open, node, line) ?? root;
                            break;
                        }

                    case AnchorAlias alias:
                        if (!anchors.TryGetValue(alias.Value.Value, out EnvironmentFileNode? target))
                        {
                            throw new EnvironmentFileException(path, line, $"the alias *{alias.Value.Value} names no anchor before it.");
                        }

                        root = Attach(path, open, target, line) ?? root;
                        break;
                }
            }
        }
        catch (YamlException ex)
        {
            // The parser names where the broken construct starts and where it noticed: both lines help.
            string lines = ex.End.Line > ex.Start.Line ? $" (lines {ex.Start.Line} to {ex.End.Line})" : string.Empty;
            throw new EnvironmentFileException(path, ex.Start.Line, $"the YAML is not valid{lines}: " + YamlPosition.Replace(ex.Message, string.Empty).Trim(), ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException && ex.TargetSite?.DeclaringType?.Namespace?.StartsWith("YamlDotNet", StringComparison.Ordinal) == true)
        {
            // YamlDotNet gives up on some broken constructs without a YamlException and without a
            // position (an unclosed flow list running into a mapping, a tag that is not a URI):
            // name the last line it read and what is wrong in the file's terms.
            long near = parser.Current?.End.Line ?? 1;
            string problem = ex is ArgumentException
                ? "a tag (a value starting with '!') is not a valid URI"
                : "a construct (such as a '[' or '{' list) is not closed where the next key begins";
            throw new EnvironmentFileException(path, near, $"the YAML is not valid after line {near}: {problem}.", ex);
        }

        return root;
    }

    /// <summary>The root value of a JSON file (comments and trailing commas allowed), or null for an empty one.</summary>
    public static EnvironmentFileNode? ParseJson(string path, byte[] utf8)
    {
        ReadOnlySpan<byte> bytes = utf8.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? utf8.AsSpan(3) : utf8;
        int[] lineStarts = LineStarts(bytes);
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = MaxDepth });
        var open = new Stack<Frame>();
        EnvironmentFileNode? root = null;
        try
        {
            while (reader.Read())
            {
                long line = LineOf(lineStarts, reader.TokenStartIndex);
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        Open(path, open, EnvironmentFileNode.Mapping(line), null, null);
                        break;
                    case JsonTokenType.StartArray:
                        Open(path, open, EnvironmentFileNode.Sequence(line), null, null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        root = Attach(path, open, open.Pop().Node, line) ?? root;
                        break;
                    case JsonTokenType.PropertyName:
                        root = Attach(path, open, EnvironmentFileNode.Scalar(line, reader.GetString()!, quoted: true), line) ?? root;
                        break;
                    case JsonTokenType.String:
                        root = Attach(path, open, EnvironmentFileNode.Scalar(line, reader.GetString()!, quoted: true), line) ?? root;
                        break;
                    case JsonTokenType.Number or JsonTokenType.True or JsonTokenType.False:
                        root = Attach(path, open, EnvironmentFileNode.Scalar(line, Encoding.UTF8.GetString(reader.ValueSpan), quoted: false), line) ?? root;
                        break;
                    case JsonTokenType.Null:
                        root = Attach(path, open, EnvironmentFileNode.Null(line), line) ?? root;
                        break;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new EnvironmentFileException(path, (ex.LineNumber ?? 0) + 1, "the JSON is not valid: " + JsonPosition.Replace(ex.Message, string.Empty).Trim(), ex);
        }
        catch (InvalidOperationException ex) when (ex is not EnvironmentNameException)
        {
            // The reader refuses a string whose \u escapes are a lone UTF-16 surrogate (not text).
            throw new EnvironmentFileException(path, LineOf(lineStarts, reader.TokenStartIndex), "the JSON is not valid: a string holds a \\u escape of half a UTF-16 surrogate pair (such as \\ud800 alone), which is not text.", ex);
        }

        return root;
    }

    private static void Open(string path, Stack<Frame> open, EnvironmentFileNode node, string? anchor, Dictionary<string, EnvironmentFileNode>? anchors)
    {
        if (open.Count >= MaxDepth)
        {
            throw new EnvironmentFileException(path, node.Line, $"the values are nested deeper than {MaxDepth} levels; an environments file is a list of flat entries.");
        }

        if (anchor is not null)
        {
            anchors![anchor] = node;
        }

        open.Push(new Frame(node));
    }

    /// <summary>Puts a finished value into the mapping or list that holds it; returns it when it is the root.</summary>
    private static EnvironmentFileNode? Attach(string path, Stack<Frame> open, EnvironmentFileNode value, long line)
    {
        if (open.Count == 0)
        {
            return value;
        }

        Frame parent = open.Peek();
        if (parent.Node.Kind == EnvironmentFileNodeKind.Sequence)
        {
            parent.Node.Items.Add(value);
            return null;
        }

        if (parent.PendingKey is null)
        {
            if (value.Kind != EnvironmentFileNodeKind.Scalar)
            {
                throw new EnvironmentFileException(path, line, $"a key is {value.Describe()}; keys are names such as 'port'.");
            }

            if (parent.Node.Entries.FirstOrDefault(e => e.Key == value.Text) is { Key: not null } earlier)
            {
                throw new EnvironmentFileException(path, line, $"the key '{value.Text}' appears twice in one mapping (lines {earlier.Line} and {line}).");
            }

            parent.PendingKey = value.Text;
            parent.PendingKeyLine = value.Line;
            return null;
        }

        parent.Node.Entries.Add((parent.PendingKey, parent.PendingKeyLine, value));
        parent.PendingKey = null;
        return null;
    }

    private static int[] LineStarts(ReadOnlySpan<byte> bytes)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        return starts.ToArray();
    }

    private static long LineOf(int[] lineStarts, long offset)
    {
        int index = Array.BinarySearch(lineStarts, (int)offset);
        return (index >= 0 ? index : ~index - 1) + 1;
    }

    /// <summary>A mapping or list being read, and for a mapping the key waiting for its value.</summary>
    private sealed class Frame
    {
        public Frame(EnvironmentFileNode node)
        {
            Node = node;
        }

        public EnvironmentFileNode Node { get; }

        public string? PendingKey { get; set; }

        public long PendingKeyLine { get; set; }
    }
}
