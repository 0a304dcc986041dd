using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using Renku.PowerShell.Files;

using YamlDotNet.Serialization;

namespace Renku.PowerShell.Environments;

/// <summary>
/// Reads and writes environments files: YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>), a
/// top-level <c>environments</c> list whose entries use the data API's field names.
/// </summary>
public static class EnvironmentFile
{
    private const long MaxFileBytes = 4 * 1024 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>True for a path whose extension names a format this reads.</summary>
    public static bool IsKnownFormat(string path) => FormatOf(path) is not null;

    /// <summary>The environments a file asks for; a file with any problem is an <see cref="EnvironmentFileException"/> naming the first.</summary>
    public static IReadOnlyList<EnvironmentSpec> Read(string path)
    {
        EnvironmentFileCheck check = Check(path);

        // A problem of reading (syntax, shape, key, type) comes before the values it may explain.
        EnvironmentFileProblem? first = check.Problems.OrderBy(p => EnvironmentFileErrorIds.IsReadingProblem(p.ErrorId) ? 0 : 1).FirstOrDefault();
        return first is null ? check.Environments : throw new EnvironmentFileException(path, first.Line, first.Text);
    }

    /// <summary>
    /// Checks an environments file whole and returns every problem, in file order: syntax (which
    /// stops the reading), shape, unknown keys (with the nearest known key), types, missing required
    /// keys, values Renku would refuse, and names listed twice (with the lines of both). Each problem
    /// names the file, the line, the entry and the key, in one paragraph. Nothing is sent anywhere;
    /// a file that does not exist is a <see cref="FileNotFoundException"/>.
    /// </summary>
    public static EnvironmentFileCheck Check(string path)
    {
        var (items, problems) = Parse(path);
        var all = new List<EnvironmentFileProblem>(problems);
        if (!all.Any(p => p.IsFatal))
        {
            all.AddRange(ValueProblems(path, items).Select(v => v.Problem));
            all.AddRange(DuplicateNames(path, items));
        }

        // File order: by line, then as found (a value problem of a key after that key's own).
        var ordered = all.Select((p, i) => (p, i)).OrderBy(x => x.p.Line ?? 0).ThenBy(x => x.i).Select(x => x.p).ToList();
        return new EnvironmentFileCheck(path, items, ordered);
    }

    /// <summary>
    /// Every entry of the file with where it stands, or an <see cref="EnvironmentFileException"/>
    /// that names the line and says in the file's terms what is wrong (syntax, shape, a key, a
    /// type): the first such problem <see cref="Check"/> finds. Values are not checked against
    /// Renku's limits here: <see cref="Validate"/> does that.
    /// </summary>
    public static IReadOnlyList<EnvironmentFileItem> ReadItems(string path)
    {
        var (items, problems) = Parse(path);
        EnvironmentFileProblem? first = problems.FirstOrDefault();
        return first is null ? items : throw new EnvironmentFileException(path, first.Line, first.Text);
    }

    /// <summary>
    /// Every value of the file's entries that Renku would refuse, each named in the file's terms:
    /// <c>environments.yaml, line 14: environments[2] (name: Broken).container_image 'Bad Image' is not a valid image reference</c>.
    /// </summary>
    public static IReadOnlyList<EnvironmentValidationProblem> Validate(string path, IReadOnlyList<EnvironmentFileItem> items) =>
        ValueProblems(path, items).Select(v => new EnvironmentValidationProblem(v.Problem.Key!, v.Value, v.Problem.Message)).ToList();

    private static List<(EnvironmentFileProblem Problem, object? Value)> ValueProblems(string path, IReadOnlyList<EnvironmentFileItem> items)
    {
        var problems = new List<(EnvironmentFileProblem, object?)>();
        foreach (EnvironmentFileItem item in items)
        {
            foreach (string field in EnvironmentFields.All)
            {
                if (item.UnreadKeys.Contains(field))
                {
                    continue;
                }

                object? value = item.ValueOf(field);
                string errorId = "InvalidEnvironment" + EnvironmentFields.ParameterName(field);
                if (field is EnvironmentFields.Name or EnvironmentFields.ContainerImage && value is null or "")
                {
                    // A required key left out (or left empty) is "missing", not a length.
                    string example = field == EnvironmentFields.Name ? "name: Python / JupyterLab" : "container_image: ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3";
                    string said = item.Writes(field) ? "is empty" : "is missing";
                    problems.Add((new EnvironmentFileProblem(errorId, path, item.LineOf(field), item.Entry, field, $"{item.KeyPath(field)} {said}; every entry needs one.", $"Write it, e.g. '{example}'."), value));
                    continue;
                }

                if (EnvironmentValidator.Check(field, value, forPatch: false, subject: item.KeyPath(field)) is EnvironmentValidationProblem problem)
                {
                    problems.Add((new EnvironmentFileProblem(errorId, path, item.LineOf(field), item.Entry, field, problem.Message), value));
                }
            }
        }

        return problems;
    }

    private static IEnumerable<EnvironmentFileProblem> DuplicateNames(string path, IReadOnlyList<EnvironmentFileItem> items)
    {
        var first = new Dictionary<string, EnvironmentFileItem>(StringComparer.Ordinal);
        foreach (EnvironmentFileItem item in items.Where(i => !string.IsNullOrEmpty(i.Name) && !i.UnreadKeys.Contains(EnvironmentFields.Name)))
        {
            if (first.TryGetValue(item.Name!, out EnvironmentFileItem? earlier))
            {
                yield return new EnvironmentFileProblem(
                    EnvironmentFileErrorIds.DuplicateName,
                    path,
                    item.LineOf(EnvironmentFields.Name),
                    item.Entry,
                    EnvironmentFields.Name,
                    $"{item.KeyPath(EnvironmentFields.Name)} '{item.Name}' is also the name of environments[{earlier.Index}] ({path}, line {earlier.LineOf(EnvironmentFields.Name)}); Renku matches environments by name, so each name is listed once.",
                    "Rename one of them or merge the two entries.");
                continue;
            }

            first[item.Name!] = item;
        }
    }

    private static (IReadOnlyList<EnvironmentFileItem> Items, IReadOnlyList<EnvironmentFileProblem> Problems) Parse(string path)
    {
        bool json = FormatOf(path) ?? throw new EnvironmentFileException(path, null, "the extension must be .yaml, .yml or .json.");
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The environments file {path} does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            return SyntaxProblem(path, null, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB.");
        }

        EnvironmentFileNode? root;
        try
        {
            byte[] bytes = File.ReadAllBytes(path);
            if (json)
            {
                root = EnvironmentFileParser.ParseJson(path, bytes);
            }
            else
            {
                string text;
                try
                {
                    text = StrictUtf8.GetString(bytes);
                }
                catch (DecoderFallbackException ex)
                {
                    return SyntaxProblem(path, null, $"the file is not UTF-8 text (byte {ex.Index} cannot be read); save it as UTF-8.");
                }

                root = EnvironmentFileParser.ParseYaml(path, text.TrimStart('\uFEFF'));
            }
        }
        catch (EnvironmentFileException ex)
        {
            // The reader stops at a syntax error: nothing after it can be checked.
            string prefix = ex.Line is null ? $"{path}: " : $"{path}, line {ex.Line}: ";
            return SyntaxProblem(path, ex.Line, ex.Message.StartsWith(prefix, StringComparison.Ordinal) ? ex.Message[prefix.Length..] : ex.Message);
        }

        var converter = new EnvironmentFileConverter(path, json);
        IReadOnlyList<EnvironmentFileItem> items = converter.Entries(root);
        return (items, converter.Problems);
    }

    private static (IReadOnlyList<EnvironmentFileItem>, IReadOnlyList<EnvironmentFileProblem>) SyntaxProblem(string path, long? line, string message) =>
        (Array.Empty<EnvironmentFileItem>(), new[] { new EnvironmentFileProblem(EnvironmentFileErrorIds.SyntaxError, path, line, null, null, message, fatal: true) });

    public static void Write(string path, IEnumerable<GlobalEnvironment> environments)
    {
        bool json = FormatOf(path) ?? throw new EnvironmentFileException(path, null, "the extension must be .yaml, .yml or .json.");
        var document = new EnvironmentFileDocument { Environments = environments.Select(EnvironmentFileEntry.From).ToList() };
        string text = json
            ? JsonSerializer.Serialize(document, JsonOptions) + "\n"
            : new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).WithQuotingNecessaryStrings().WithEventEmitter(next => new QuoteEdgeWhitespace(next)).Build().Serialize(document);
        // Text that YAML would read as something else (~, null, true, 8888) is written quoted, so
        // that the file reads back as what was exported. An existing file (Export -Force) is
        // replaced whole or not at all.
        AtomicFile.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static bool? FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => true,
        ".yaml" or ".yml" => false,
        _ => null,
    };

    /// <summary>
    /// Writes text that starts or ends with white space (a tab included) or holds a control
    /// character double-quoted: a plain YAML scalar loses its edge white space when read.
    /// </summary>
    private sealed class QuoteEdgeWhitespace : YamlDotNet.Serialization.EventEmitters.ChainedEventEmitter
    {
        public QuoteEdgeWhitespace(YamlDotNet.Serialization.IEventEmitter next)
            : base(next)
        {
        }

        public override void Emit(YamlDotNet.Serialization.ScalarEventInfo eventInfo, YamlDotNet.Core.IEmitter emitter)
        {
            if (eventInfo.Source.Value is string { Length: > 0 } text
                && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]) || text.Any(char.IsControl)))
            {
                eventInfo.Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted;
            }

            base.Emit(eventInfo, emitter);
        }
    }
}
