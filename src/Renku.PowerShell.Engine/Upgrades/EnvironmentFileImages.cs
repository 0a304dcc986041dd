using System.Text;
using System.Text.Json;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Sessions;

using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// Finds the <c>container_image</c> of every entry of an environments file (YAML or JSON, as
/// <c>Export-RenkuGlobalEnvironment</c> writes and <c>Sync-RenkuGlobalEnvironment</c> reads) as the
/// exact characters that hold it, and rewrites only those characters: comments, key order, quoting
/// style, anchors, line endings and a byte-order mark stay byte for byte. The safety is the
/// Dockerfile rewriter's: a file whose bytes are not those the audit read is never touched, and the
/// new content replaces the old atomically.
/// </summary>
public static class EnvironmentFileImages
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>True when the path names an environments file (by its extension: .yaml, .yml or .json).</summary>
    public static bool IsEnvironmentsFile(string path) => EnvironmentFile.IsKnownFormat(path);

    /// <summary>
    /// One input per entry that names a container image, with the place of the image's characters
    /// (null when the value is written in a way that cannot be rewritten in place: escapes, a
    /// folded or multi-line scalar). A file that is not a valid environments file is an
    /// <see cref="EnvironmentFileException"/> naming the line.
    /// </summary>
    public static IReadOnlyList<UpgradeInput> Read(string path)
    {
        string fullPath = System.IO.Path.GetFullPath(path);

        // The file's shape and types are checked by the reader Sync uses, so a file the audit takes is one Sync takes.
        IReadOnlyList<EnvironmentFileItem> items = EnvironmentFile.ReadItems(fullPath);
        byte[] bytes = File.ReadAllBytes(fullPath);
        string contentDigest = DockerfileRewriter.ContentDigest(bytes);
        IReadOnlyList<EntrySite> sites = Locate(fullPath, bytes);
        if (sites.Count != items.Count)
        {
            throw new IOException($"{fullPath} changed while it was read; read it again.");
        }

        var inputs = new List<UpgradeInput>();
        for (int i = 0; i < items.Count; i++)
        {
            EnvironmentFileItem item = items[i];
            string image = item.Spec.Image;
            if (string.IsNullOrEmpty(image))
            {
                continue;
            }

            EntrySite found = sites[i];
            if (found.Value is not null && !string.Equals(found.Value, image, StringComparison.Ordinal))
            {
                throw new IOException($"{fullPath} changed while it was read; read it again.");
            }

            int line = (int)item.LineOf(EnvironmentFields.ContainerImage);
            inputs.Add(new UpgradeInput
            {
                Image = image,
                SourceKind = UpgradeSourceKind.EnvironmentFile,
                Source = $"{fullPath}:{line}",
                Path = fullPath,
                Line = line,
                EnvironmentName = item.Name,
                Site = found.Site,
                ContentDigest = contentDigest,
                Settings = SettingsOf(item.Spec),
            });
        }

        return inputs;
    }

    /// <summary>The settings an entry gives its sessions (what Sync would send), for checking a candidate under them.</summary>
    private static SessionSettings SettingsOf(EnvironmentSpec spec) => SessionSettingsPatch.From(spec).ToSettings();

    /// <summary>
    /// The places of the entries' images in the file's bytes, one per entry in file order (an entry
    /// without a <c>container_image</c> string has an empty place). Offsets count characters of the
    /// text without its byte-order mark, as <see cref="DockerfileRewriter"/> reads it.
    /// </summary>
    internal static IReadOnlyList<EntrySite> Locate(string path, byte[] bytes)
    {
        bool bom = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF;
        ReadOnlySpan<byte> body = bom ? bytes.AsSpan(3) : bytes;
        string text;
        try
        {
            text = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException ex)
        {
            throw new EnvironmentFileException(path, null, $"the file is not UTF-8 text (byte {ex.Index} cannot be read); save it as UTF-8.", ex);
        }

        return string.Equals(System.IO.Path.GetExtension(path), ".json", StringComparison.OrdinalIgnoreCase)
            ? LocateJson(path, body, text)
            : LocateYaml(path, text);
    }

    /// <summary>
    /// Applies the changes to the file if and only if its whole content is still what the audit
    /// read. Several entries that share one place (a YAML anchor and its aliases) change it once,
    /// and only when they agree on the new text.
    /// </summary>
    public static void Apply(string path, string expectedDigest, IEnumerable<(DockerfileImageSite Site, string Replacement)> changes)
    {
        var merged = new List<(DockerfileImageSite Site, string Replacement)>();
        foreach (var group in changes.GroupBy(c => c.Site.Offset))
        {
            string[] replacements = group.Select(c => c.Replacement).Distinct(StringComparer.Ordinal).ToArray();
            if (replacements.Length > 1)
            {
                throw new InvalidOperationException($"Line {group.First().Site.Line} holds one image for several entries (a YAML anchor) and the changes disagree ({string.Join(", ", replacements)}); it was not touched.");
            }

            merged.Add(group.First());
        }

        DockerfileRewriter.Apply(path, expectedDigest, merged);
    }

    private static IReadOnlyList<EntrySite> LocateYaml(string path, string text)
    {
        var parser = new Parser(new StringReader(text));
        var anchors = new Dictionary<string, Node>(StringComparer.Ordinal);
        var open = new Stack<Node>();
        Node? root = null;
        try
        {
            while (parser.MoveNext())
            {
                Node? done = null;
                switch (parser.Current)
                {
                    case MappingStart mapping:
                        open.Push(Remember(new Node(NodeKind.Mapping), mapping.Anchor, anchors));
                        break;
                    case SequenceStart sequence:
                        open.Push(Remember(new Node(NodeKind.Sequence), sequence.Anchor, anchors));
                        break;
                    case MappingEnd or SequenceEnd:
                        done = open.Pop();
                        break;
                    case Scalar scalar:
                        done = Remember(new Node(NodeKind.Scalar) { Text = scalar.Value, Site = ScalarSite(text, scalar) }, scalar.Anchor, anchors);
                        break;
                    case AnchorAlias alias:
                        done = anchors.TryGetValue(alias.Value.Value, out Node? target) ? target : new Node(NodeKind.Scalar);
                        break;
                }

                if (done is null)
                {
                    continue;
                }

                if (open.Count == 0)
                {
                    root = done;
                }
                else
                {
                    open.Peek().Add(done);
                }
            }
        }
        catch (YamlException ex)
        {
            throw new EnvironmentFileException(path, ex.Start.Line, "the YAML is not valid: " + ex.Message, ex);
        }

        Node? list = root?.Get("environments");
        var sites = new List<EntrySite>();
        foreach (Node entry in list?.Items ?? new List<Node>())
        {
            Node? image = entry.Get(EnvironmentFields.ContainerImage);
            sites.Add(image?.Kind == NodeKind.Scalar ? new EntrySite(image.Text, image.Site) : new EntrySite(null, null));
        }

        return sites;
    }

    /// <summary>The characters of a scalar's value, when they are the value exactly (no escapes, no folding).</summary>
    private static DockerfileImageSite? ScalarSite(string text, Scalar scalar)
    {
        long start = scalar.Start.Index;
        long end = scalar.End.Index;
        if (start < 0 || end > text.Length || end <= start)
        {
            return null;
        }

        // The event's span starts at any anchor or tag written before the value (&img 'team/a:1.0').
        string raw = text.Substring((int)start, (int)(end - start));
        string value = scalar.Value;
        string written = scalar.Style switch
        {
            ScalarStyle.Plain => value,
            ScalarStyle.SingleQuoted when !value.Contains('\'') => "'" + value + "'",
            ScalarStyle.DoubleQuoted when !value.Contains('\\') && !value.Contains('"') => "\"" + value + "\"",
            _ => string.Empty,
        };

        if (value.Length == 0 || written.Length == 0 || !raw.EndsWith(written, StringComparison.Ordinal))
        {
            return null;
        }

        string properties = raw[..^written.Length];
        if (properties.Length > 0 && !((properties[0] == '&' || properties[0] == '!') && char.IsWhiteSpace(properties[^1])))
        {
            return null;
        }

        int offset = (int)start + properties.Length + (scalar.Style == ScalarStyle.Plain ? 0 : 1);
        return new DockerfileImageSite { Offset = offset, Length = value.Length, Text = value, Line = (int)scalar.End.Line };
    }

    private static IReadOnlyList<EntrySite> LocateJson(string path, ReadOnlySpan<byte> body, string text)
    {
        var sites = new List<EntrySite>();
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 });
        bool inList = false;
        string? property = null;
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        break;
                    case JsonTokenType.StartArray when reader.CurrentDepth == 1 && property == "environments":
                        inList = true;
                        break;
                    case JsonTokenType.EndArray when reader.CurrentDepth == 1:
                        inList = false;
                        break;
                    case JsonTokenType.StartObject when inList && reader.CurrentDepth == 2:
                        sites.Add(new EntrySite(null, null));
                        break;
                    case JsonTokenType.String when inList && reader.CurrentDepth == 3 && property == EnvironmentFields.ContainerImage:
                        string value = reader.GetString()!;
                        DockerfileImageSite? site = null;
                        if (!reader.ValueIsEscaped && value.Length > 0)
                        {
                            // The token starts at its opening quote; offsets count characters of the decoded text.
                            int byteOffset = checked((int)reader.TokenStartIndex + 1);
                            int offset = Encoding.UTF8.GetCharCount(body[..byteOffset]);
                            if (string.CompareOrdinal(text, offset, value, 0, value.Length) == 0)
                            {
                                site = new DockerfileImageSite { Offset = offset, Length = value.Length, Text = value, Line = LineOf(text, offset) };
                            }
                        }

                        sites[^1] = new EntrySite(value, site);
                        break;
                }

                if (reader.TokenType != JsonTokenType.PropertyName && reader.CurrentDepth <= 3)
                {
                    property = reader.TokenType is JsonTokenType.StartArray or JsonTokenType.StartObject ? property : null;
                }
            }
        }
        catch (JsonException ex)
        {
            throw new EnvironmentFileException(path, (ex.LineNumber ?? 0) + 1, "the JSON is not valid.", ex);
        }

        return sites;
    }

    private static int LineOf(string text, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset; i++)
        {
            if (text[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }

    private static Node Remember(Node node, AnchorName anchor, Dictionary<string, Node> anchors)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    /// <summary>An entry's image as read, and where its characters are (null when they cannot be rewritten in place).</summary>
    internal readonly record struct EntrySite(string? Value, DockerfileImageSite? Site);

    private enum NodeKind
    {
        Scalar,
        Mapping,
        Sequence,
    }

    /// <summary>A value of the YAML file with, for a scalar, where its characters are.</summary>
    private sealed class Node
    {
        private string? pendingKey;
        private bool keyPending;

        public Node(NodeKind kind)
        {
            Kind = kind;
        }

        public NodeKind Kind { get; }

        public string? Text { get; init; }

        public DockerfileImageSite? Site { get; init; }

        public List<Node> Items { get; } = new();

        private List<(string? Key, Node Value)> Entries { get; } = new();

        public void Add(Node value)
        {
            if (Kind == NodeKind.Sequence)
            {
                Items.Add(value);
            }
            else if (!keyPending)
            {
                pendingKey = value.Text;
                keyPending = true;
            }
            else
            {
                Entries.Add((pendingKey, value));
                keyPending = false;
            }
        }

        public Node? Get(string key) => Kind == NodeKind.Mapping ? Entries.LastOrDefault(e => e.Key == key).Value : null;
    }
}
