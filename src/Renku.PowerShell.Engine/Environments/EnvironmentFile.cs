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

    /// <summary>The environments a file asks for; a file with a value Renku would refuse is an <see cref="EnvironmentFileException"/> naming the first.</summary>
    public static IReadOnlyList<EnvironmentSpec> Read(string path)
    {
        IReadOnlyList<EnvironmentFileItem> items = ReadItems(path);
        EnvironmentValidationProblem? first = Validate(path, items).FirstOrDefault();
        return first is null ? items.Select(i => i.Spec).ToList() : throw new EnvironmentFileException(path, null, first.Message);
    }

    /// <summary>
    /// Every entry of the file with where it stands, or an <see cref="EnvironmentFileException"/>
    /// that names the line and says in the file's terms what is wrong (syntax, shape, a key, a
    /// type). Values are not checked against Renku's limits here: <see cref="Validate"/> does that.
    /// </summary>
    public static IReadOnlyList<EnvironmentFileItem> ReadItems(string path)
    {
        bool json = FormatOf(path) ?? throw new EnvironmentFileException(path, null, "the extension must be .yaml, .yml or .json.");
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The environments file {path} does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new EnvironmentFileException(path, null, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB.");
        }

        byte[] bytes = File.ReadAllBytes(path);
        EnvironmentFileNode? root;
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
                throw new EnvironmentFileException(path, null, $"the file is not UTF-8 text (byte {ex.Index} cannot be read); save it as UTF-8.", ex);
            }

            root = EnvironmentFileParser.ParseYaml(path, text.TrimStart('\uFEFF'));
        }

        return new EnvironmentFileConverter(path, json).Entries(root);
    }

    /// <summary>
    /// Every value of the file's entries that Renku would refuse, each named in the file's terms:
    /// <c>environments.yaml, line 14: environments[2] (name: Broken).container_image 'Bad Image' is not a valid image reference</c>.
    /// </summary>
    public static IReadOnlyList<EnvironmentValidationProblem> Validate(string path, IReadOnlyList<EnvironmentFileItem> items)
    {
        var problems = new List<EnvironmentValidationProblem>();
        foreach (EnvironmentFileItem item in items)
        {
            foreach (string field in EnvironmentFields.All)
            {
                object? value = item.ValueOf(field);
                if (EnvironmentValidator.Check(field, value, forPatch: false, subject: item.KeyPath(field)) is EnvironmentValidationProblem problem)
                {
                    problems.Add(new EnvironmentValidationProblem(field, value, $"{path}, line {item.LineOf(field)}: {problem.Message}"));
                }
            }
        }

        return problems;
    }

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
