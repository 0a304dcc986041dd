using System.Globalization;
using System.Text.Json;

using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Images;

/// <summary>The parts of an OCI / Docker image config blob that inspection reports.</summary>
internal sealed class ImageConfigDocument
{
    internal ImageConfiguration Configuration { get; private init; } = new();

    internal DateTimeOffset? Created { get; private init; }

    internal string? Os { get; private init; }

    internal string? Architecture { get; private init; }

    internal string? Variant { get; private init; }

    /// <summary>The uncompressed layer digests (rootfs.diff_ids), base first.</summary>
    internal IReadOnlyList<string> DiffIds { get; private init; } = Array.Empty<string>();

    internal static ImageConfigDocument Parse(byte[] body, string where)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The config of {where} is not a JSON object.");
            }

            JsonElement config = root.TryGetProperty("config", out JsonElement c) && c.ValueKind == JsonValueKind.Object ? c : default;
            var configuration = new ImageConfiguration
            {
                User = String(config, "User"),
                WorkingDir = String(config, "WorkingDir"),
                Entrypoint = StringArray(config, "Entrypoint"),
                Cmd = StringArray(config, "Cmd"),
                Env = StringArray(config, "Env") ?? (IReadOnlyList<string>)Array.Empty<string>(),
                ExposedPorts = Keys(config, "ExposedPorts"),
                Volumes = Keys(config, "Volumes"),
                Labels = Labels(config),
            };
            DateTimeOffset? created = null;
            if (String(root, "created") is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset parsed))
            {
                created = parsed;
            }

            IReadOnlyList<string> diffIds = root.TryGetProperty("rootfs", out JsonElement rootfs) && rootfs.ValueKind == JsonValueKind.Object
                ? StringArray(rootfs, "diff_ids") ?? (IReadOnlyList<string>)Array.Empty<string>()
                : Array.Empty<string>();
            return new ImageConfigDocument
            {
                Configuration = configuration,
                Created = created,
                Os = String(root, "os"),
                Architecture = String(root, "architecture"),
                Variant = String(root, "variant"),
                DiffIds = diffIds,
            };
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The config of {where} is not JSON.", ex);
        }
        catch (InvalidOperationException ex)
        {
            // A string that is not text (invalid UTF-8, half a surrogate pair) or a value of another type.
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The config of {where} holds a value that is not text where text belongs.", ex);
        }
    }

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IReadOnlyList<string>? StringArray(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        return value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
    }

    private static IReadOnlyList<string> Keys(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Object)
        {
            return Array.Empty<string>();
        }

        return value.EnumerateObject().Select(p => p.Name).ToList();
    }

    private static IReadOnlyDictionary<string, string> Labels(JsonElement config)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (config.ValueKind == JsonValueKind.Object && config.TryGetProperty("Labels", out JsonElement value) && value.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in value.EnumerateObject())
            {
                labels[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return labels;
    }
}
