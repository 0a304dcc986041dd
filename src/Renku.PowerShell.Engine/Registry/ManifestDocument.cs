using System.Text.Json;

namespace Renku.PowerShell.Registry;

/// <summary>A manifest or index as fetched: its bytes, media type and digest, and the parts this client reads.</summary>
internal sealed class ManifestDocument
{
    private ManifestDocument(string mediaType, string digest, long size)
    {
        MediaType = mediaType;
        Digest = digest;
        Size = size;
    }

    internal string MediaType { get; }

    internal string Digest { get; }

    internal long Size { get; }

    internal bool IsIndex => MediaTypes.IsIndex(MediaType);

    /// <summary>For an index: its entries.</summary>
    internal IReadOnlyList<Descriptor> Manifests { get; private set; } = Array.Empty<Descriptor>();

    /// <summary>For an image manifest: its config descriptor.</summary>
    internal Descriptor? Config { get; private set; }

    /// <summary>For an image manifest: its layers, base first.</summary>
    internal IReadOnlyList<Descriptor> Layers { get; private set; } = Array.Empty<Descriptor>();

    /// <summary>An image manifest made up from another description (a legacy docker save archive).</summary>
    internal static ManifestDocument Synthetic(string digest, Descriptor config, IReadOnlyList<Descriptor> layers) =>
        new(MediaTypes.DockerManifest, digest, 0) { Config = config, Layers = layers };

    /// <summary>
    /// Parses a manifest, dispatching on the Content-Type the registry sent, falling back to the
    /// document's own <c>mediaType</c> (or its shape) when the header is generic.
    /// </summary>
    internal static ManifestDocument Parse(byte[] body, string? contentType, string digest, string where)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} is not JSON.", ex);
        }

        using (document)
        {
            try
            {
                return Read(document.RootElement, body, contentType, digest, where);
            }
            catch (InvalidOperationException ex)
            {
                // A string value whose \u escapes are half a surrogate pair is not text.
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} holds a string that is not text.", ex);
            }
        }
    }

    private static ManifestDocument Read(JsonElement root, byte[] body, string? contentType, string digest, string where)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} is not a JSON object.");
        }

        string? declared = root.TryGetProperty("mediaType", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        string? mediaType = MediaTypes.IsIndex(contentType) || MediaTypes.IsManifest(contentType) ? contentType : declared;
        if (mediaType is null)
        {
            if (root.TryGetProperty("manifests", out _))
            {
                mediaType = MediaTypes.OciIndex;
            }
            else if (root.TryGetProperty("layers", out _) && root.TryGetProperty("config", out _))
            {
                mediaType = MediaTypes.OciManifest;
            }
        }

        if (!MediaTypes.IsIndex(mediaType) && !MediaTypes.IsManifest(mediaType))
        {
            int schema = root.TryGetProperty("schemaVersion", out JsonElement v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int number) ? number : 0;
            string shown = schema == 1 ? "Docker schema 1 (deprecated; push the image again with a current client)" : mediaType ?? contentType ?? "unknown";
            throw new RegistryException(RegistryErrorKind.UnsupportedMediaType, $"The manifest of {where} has the media type {shown}, which this client does not read.");
        }

        var result = new ManifestDocument(mediaType!, digest, body.LongLength);
        if (MediaTypes.IsIndex(mediaType))
        {
            result.Manifests = root.TryGetProperty("manifests", out JsonElement manifests) && manifests.ValueKind == JsonValueKind.Array
                ? manifests.EnumerateArray().Select(e => Descriptor.Parse(e, where)).ToList()
                : throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The index of {where} has no manifests list.");
        }
        else
        {
            result.Config = root.TryGetProperty("config", out JsonElement config) && config.ValueKind == JsonValueKind.Object
                ? Descriptor.Parse(config, where)
                : throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} has no config.");
            result.Layers = root.TryGetProperty("layers", out JsonElement layers) && layers.ValueKind == JsonValueKind.Array
                ? layers.EnumerateArray().Select(e => Descriptor.Parse(e, where)).ToList()
                : Array.Empty<Descriptor>();
        }

        return result;
    }
}

/// <summary>An OCI descriptor: media type, digest, size, and for index entries the platform.</summary>
internal sealed record Descriptor(string MediaType, string Digest, long Size, ImagePlatform? Platform, IReadOnlyDictionary<string, string> Annotations)
{
    /// <summary>Attestation entries (buildkit's provenance and SBOM) are not images.</summary>
    internal bool IsAttestation =>
        (Platform is not null && Platform.Os == "unknown" && Platform.Architecture == "unknown")
        || (Annotations.TryGetValue("vnd.docker.reference.type", out string? type) && type == "attestation-manifest");

    internal static Descriptor Parse(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} holds a descriptor that is not an object.");
        }

        string mediaType = element.TryGetProperty("mediaType", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() ?? string.Empty : string.Empty;
        string? digest = element.TryGetProperty("digest", out JsonElement d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        if (!Digests.IsValid(digest))
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} holds a descriptor without a valid digest.");
        }

        long size = element.TryGetProperty("size", out JsonElement s) && s.ValueKind == JsonValueKind.Number && s.TryGetInt64(out long value) ? value : -1;
        ImagePlatform? platform = null;
        if (element.TryGetProperty("platform", out JsonElement p) && p.ValueKind == JsonValueKind.Object)
        {
            string os = PlatformText(p, "os", where);
            string arch = PlatformText(p, "architecture", where);
            string? variant = p.TryGetProperty("variant", out JsonElement v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            platform = new ImagePlatform(os, arch, string.IsNullOrEmpty(variant) ? null : variant, digest);
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal);
        if (element.TryGetProperty("annotations", out JsonElement an) && an.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty property in an.EnumerateObject())
            {
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    annotations[property.Name] = property.Value.GetString()!;
                }
            }
        }

        return new Descriptor(mediaType, digest!, size, platform, annotations);
    }

    private static string PlatformText(JsonElement platform, string name, string where) =>
        !platform.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null ? string.Empty
        : value.ValueKind == JsonValueKind.String ? value.GetString() ?? string.Empty
        : throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The manifest of {where} holds a platform whose {name} is {value.ValueKind.ToString().ToLowerInvariant()}, not a string.");
}
