using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.TestSupport.Images;

/// <summary>
/// An image written by the tests: layers, a config and a manifest, in OCI media types or as a
/// Docker schema 2 image. <see cref="Index"/> joins several into a multi-platform index.
/// </summary>
public sealed class TestImage
{
    private TestImage(OciBlob config, OciBlob manifest, IReadOnlyList<OciBlob> layers, string platform)
    {
        Config = config;
        Manifest = manifest;
        Layers = layers;
        Platform = platform;
    }

    public OciBlob Config { get; }

    public OciBlob Manifest { get; }

    public IReadOnlyList<OciBlob> Layers { get; }

    /// <summary><c>os/arch[/variant]</c>.</summary>
    public string Platform { get; }

    public IEnumerable<OciBlob> Blobs => Layers.Append(Config);

    /// <summary>Builds an image from layers (base first) and config settings.</summary>
    public static TestImage Create(IEnumerable<(LayerBuilder Layer, LayerCompression Compression)> layers, TestImageConfig? config = null, string platform = "linux/amd64", bool dockerSchema2 = false)
    {
        config ??= new TestImageConfig();
        var blobs = new List<OciBlob>();
        var diffIds = new List<string>();
        foreach (var (layer, compression) in layers)
        {
            (OciBlob blob, string diffId) = layer.Build(compression, dockerSchema2);
            blobs.Add(blob);
            diffIds.Add(diffId);
        }

        string[] parts = platform.Split('/');
        var imageConfig = new Dictionary<string, object?>
        {
            ["User"] = config.User,
            ["WorkingDir"] = config.WorkingDir,
            ["Env"] = config.Env,
            ["Entrypoint"] = config.Entrypoint,
            ["Cmd"] = config.Cmd,
            ["ExposedPorts"] = config.ExposedPorts.ToDictionary(p => p, _ => new Dictionary<string, object>()),
            ["Labels"] = config.Labels,
            ["Volumes"] = config.Volumes.ToDictionary(p => p, _ => new Dictionary<string, object>()),
        };
        var root = new Dictionary<string, object?>
        {
            ["created"] = config.Created.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            ["architecture"] = parts[1],
            ["os"] = parts[0],
            ["config"] = imageConfig,
            ["rootfs"] = new Dictionary<string, object?> { ["type"] = "layers", ["diff_ids"] = diffIds },
            ["history"] = blobs.Select(_ => new Dictionary<string, object?> { ["created_by"] = "renku-ps test writer" }).ToList(),
        };
        if (parts.Length > 2)
        {
            root["variant"] = parts[2];
        }

        var configBlob = new OciBlob(dockerSchema2 ? "application/vnd.docker.container.image.v1+json" : "application/vnd.oci.image.config.v1+json", Json(root));
        var manifest = new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = dockerSchema2 ? "application/vnd.docker.distribution.manifest.v2+json" : "application/vnd.oci.image.manifest.v1+json",
            ["config"] = configBlob.Descriptor(),
            ["layers"] = blobs.Select(b => b.Descriptor()).ToList(),
        };
        var manifestBlob = new OciBlob((string)manifest["mediaType"]!, Json(manifest));
        return new TestImage(configBlob, manifestBlob, blobs, platform);
    }

    /// <summary>
    /// A multi-platform index of <paramref name="images"/>; with <paramref name="attestationFor"/>
    /// an attestation manifest (platform unknown/unknown, as buildkit writes it) is added for that image.
    /// </summary>
    public static (OciBlob Index, IReadOnlyList<OciBlob> ExtraManifests, IReadOnlyList<OciBlob> ExtraBlobs) Index(IReadOnlyList<TestImage> images, TestImage? attestationFor = null, bool dockerManifestList = false)
    {
        var entries = new List<Dictionary<string, object?>>();
        foreach (TestImage image in images)
        {
            string[] parts = image.Platform.Split('/');
            var platform = new Dictionary<string, object?> { ["architecture"] = parts[1], ["os"] = parts[0] };
            if (parts.Length > 2)
            {
                platform["variant"] = parts[2];
            }

            var entry = image.Manifest.Descriptor();
            entry["platform"] = platform;
            entries.Add(entry);
        }

        var extraManifests = new List<OciBlob>();
        var extraBlobs = new List<OciBlob>();
        if (attestationFor is not null)
        {
            var statement = new OciBlob("application/vnd.in-toto+json", Encoding.UTF8.GetBytes("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"predicateType\":\"https://slsa.dev/provenance/v0.2\"}"));
            var config = new OciBlob("application/vnd.oci.image.config.v1+json", Encoding.UTF8.GetBytes("{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
            var manifest = new OciBlob("application/vnd.oci.image.manifest.v1+json", Json(new Dictionary<string, object?>
            {
                ["schemaVersion"] = 2,
                ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
                ["config"] = config.Descriptor(),
                ["layers"] = new[] { statement.Descriptor() },
            }));
            var entry = manifest.Descriptor();
            entry["platform"] = new Dictionary<string, object?> { ["architecture"] = "unknown", ["os"] = "unknown" };
            entry["annotations"] = new Dictionary<string, string>
            {
                ["vnd.docker.reference.digest"] = attestationFor.Manifest.Digest,
                ["vnd.docker.reference.type"] = "attestation-manifest",
            };
            entries.Add(entry);
            extraManifests.Add(manifest);
            extraBlobs.Add(statement);
            extraBlobs.Add(config);
        }

        string mediaType = dockerManifestList ? "application/vnd.docker.distribution.manifest.list.v2+json" : "application/vnd.oci.image.index.v1+json";
        var index = new OciBlob(mediaType, Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["mediaType"] = mediaType, ["manifests"] = entries }));
        return (index, extraManifests, extraBlobs);
    }

    /// <summary>Writes the image as an OCI image layout folder (index.json names it <paramref name="refName"/>).</summary>
    public void WriteLayout(string directory, string refName)
    {
        System.IO.Directory.CreateDirectory(Path.Combine(directory, "blobs", "sha256"));
        foreach (OciBlob blob in Blobs.Append(Manifest))
        {
            File.WriteAllBytes(Path.Combine(directory, "blobs", "sha256", blob.Digest.Substring(7)), blob.Content);
        }

        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        var entry = Manifest.Descriptor();
        entry["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = refName };
        File.WriteAllBytes(Path.Combine(directory, "index.json"), Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["mediaType"] = "application/vnd.oci.image.index.v1+json", ["manifests"] = new[] { entry } }));
    }

    public static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value);
}

/// <summary>The config settings of a test image.</summary>
public sealed class TestImageConfig
{
    public string? User { get; init; }

    public string? WorkingDir { get; init; } = "/";

    public string[] Env { get; init; } = { "PATH=/usr/local/bin:/usr/bin:/bin" };

    public string[]? Entrypoint { get; init; }

    public string[]? Cmd { get; init; } = { "/bin/sh" };

    public string[] ExposedPorts { get; init; } = Array.Empty<string>();

    public Dictionary<string, string> Labels { get; init; } = new();

    public string[] Volumes { get; init; } = Array.Empty<string>();

    public DateTimeOffset Created { get; init; } = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
}
