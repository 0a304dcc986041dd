using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

using Renku.PowerShell.Files;

using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Renku.PowerShell.Environments;

/// <summary>
/// Reads and writes environments files: YAML (<c>.yaml</c>, <c>.yml</c>) or JSON (<c>.json</c>), a
/// top-level <c>environments</c> list whose entries use the data API's field names.
/// </summary>
public static class EnvironmentFile
{
    private const long MaxFileBytes = 4 * 1024 * 1024;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>True for a path whose extension names a format this reads.</summary>
    public static bool IsKnownFormat(string path) => FormatOf(path) is not null;

    public static IReadOnlyList<EnvironmentSpec> Read(string path)
    {
        bool? json = FormatOf(path) ?? throw new EnvironmentFileException(path, null, "the extension must be .yaml, .yml or .json.");
        var info = new FileInfo(path);
        if (!info.Exists)
        {
            throw new FileNotFoundException($"The environments file {path} does not exist.", path);
        }

        if (info.Length > MaxFileBytes)
        {
            throw new EnvironmentFileException(path, null, $"the file is larger than {MaxFileBytes / (1024 * 1024)} MiB.");
        }

        string text = File.ReadAllText(path, Encoding.UTF8);
        EnvironmentFileDocument? document = json == true ? ParseJson(path, text) : ParseYaml(path, text);
        if (document?.Environments is null)
        {
            throw new EnvironmentFileException(path, null, "the file has no 'environments' list.");
        }

        return document.Environments.Select(e => (e ?? new EnvironmentFileEntry()).ToSpec()).ToList();
    }

    public static void Write(string path, IEnumerable<GlobalEnvironment> environments)
    {
        bool json = FormatOf(path) ?? throw new EnvironmentFileException(path, null, "the extension must be .yaml, .yml or .json.");
        var document = new EnvironmentFileDocument { Environments = environments.Select(EnvironmentFileEntry.From).ToList() };
        string text = json
            ? JsonSerializer.Serialize(document, JsonOptions) + "\n"
            : new SerializerBuilder().ConfigureDefaultValuesHandling(DefaultValuesHandling.OmitNull).Build().Serialize(document);
        // An existing file (Export -Force) is replaced whole or not at all.
        AtomicFile.WriteAllText(path, text, new UTF8Encoding(false));
    }

    private static bool? FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".json" => true,
        ".yaml" or ".yml" => false,
        _ => null,
    };

    private static EnvironmentFileDocument? ParseJson(string path, string text)
    {
        try
        {
            return JsonSerializer.Deserialize<EnvironmentFileDocument>(text, JsonOptions);
        }
        catch (JsonException ex)
        {
            throw new EnvironmentFileException(path, ex.LineNumber + 1, ex.Message, ex);
        }
    }

    private static EnvironmentFileDocument? ParseYaml(string path, string text)
    {
        try
        {
            return new DeserializerBuilder().Build().Deserialize<EnvironmentFileDocument>(text);
        }
        catch (YamlException ex)
        {
            string message = (ex.InnerException?.Message ?? ex.Message).Trim();
            throw new EnvironmentFileException(path, ex.Start.Line, message, ex);
        }
    }
}
