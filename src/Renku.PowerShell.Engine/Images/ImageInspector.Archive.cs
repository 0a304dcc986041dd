using System.Text.Json;

using Renku.PowerShell.Images.Archives;
using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Images;

public sealed partial class ImageInspector
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";
    private const string ContainerdNameAnnotation = "io.containerd.image.name";

    /// <summary>
    /// Inspects an image in a local archive: a <c>docker save</c> tar (or its unpacked folder) or
    /// an OCI image layout (folder or tar). Every blob read is checked against its digest.
    /// </summary>
    public async Task<ImageInfo> InspectArchiveAsync(string path, ImageInspectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ImageInspectionOptions();
        var counter = new DownloadCounter(client.Options.LayerByteBudget);
        ImageArchive archive = await Task.Run(() => ImageArchive.Open(path), cancellationToken).ConfigureAwait(false);
        Report(options, $"Reading {path}", counter);
        bool ociLayout = archive.Exists("index.json") && (archive.Exists("oci-layout") || !archive.Exists("manifest.json"));
        return ociLayout
            ? await InspectOciLayoutAsync(archive, path, options, counter, cancellationToken).ConfigureAwait(false)
            : archive.Exists("manifest.json")
                ? await InspectDockerSaveAsync(archive, path, options, counter, cancellationToken).ConfigureAwait(false)
                : throw new RegistryException(RegistryErrorKind.InvalidArchive, $"'{path}' is neither an OCI image layout (index.json) nor a docker save archive (manifest.json).");
    }

    private async Task<ImageInfo> InspectOciLayoutAsync(ImageArchive archive, string path, ImageInspectionOptions options, DownloadCounter counter, CancellationToken ct)
    {
        byte[] indexBytes = await archive.ReadAllAsync("index.json", client.Options.MaxManifestBytes, ct).ConfigureAwait(false);
        counter.Add(indexBytes.Length);
        ManifestDocument layout = ManifestDocument.Parse(indexBytes, MediaTypes.OciIndex, Digests.Sha256(indexBytes), path);
        var entries = layout.Manifests.Where(m => !m.IsAttestation).ToList();
        Descriptor entry = PickArchiveEntry(entries, options.ArchiveImage, path, d => NameOf(d));
        ImageReference? reference = NameOf(entry) is { } name && ImageReference.TryParse(name, out ImageReference? parsed, out _) ? parsed : null;

        ManifestDocument top = await ReadArchiveManifestAsync(archive, entry.Digest, counter, path, ct).ConfigureAwait(false);
        (ManifestDocument manifest, IReadOnlyList<ImagePlatform>? platforms) = await SelectPlatformAsync(
            top,
            options.Platform,
            path,
            digest => ReadArchiveManifestAsync(archive, digest, counter, path, ct)).ConfigureAwait(false);
        byte[] config = await ReadArchiveBlobAsync(archive, manifest.Config!.Digest, client.Options.MaxConfigBytes, counter, ct).ConfigureAwait(false);
        return await BuildAsync(
            new BuildInput(reference, ImageSourceKind.Archive, Path.GetFullPath(path), top, manifest, platforms, config, PublicAccess.Unknown, path),
            d => new VerifyingBlobStream(_ => Task.FromResult(archive.OpenRead(BlobPath(d.Digest))), d.Digest, d.Size, counter, 0, client.Options.Log),
            null,
            options,
            counter,
            ct).ConfigureAwait(false);
    }

    private async Task<ImageInfo> InspectDockerSaveAsync(ImageArchive archive, string path, ImageInspectionOptions options, DownloadCounter counter, CancellationToken ct)
    {
        byte[] manifestBytes = await archive.ReadAllAsync("manifest.json", client.Options.MaxManifestBytes, ct).ConfigureAwait(false);
        counter.Add(manifestBytes.Length);
        var images = new List<(string Config, string[] Tags, string[] Layers)>();
        try
        {
            using JsonDocument document = JsonDocument.Parse(manifestBytes);
            foreach (JsonElement image in document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.EnumerateArray() : Enumerable.Empty<JsonElement>())
            {
                string? configPath = image.TryGetProperty("Config", out JsonElement c) ? c.GetString() : null;
                string[] tags = image.TryGetProperty("RepoTags", out JsonElement t) && t.ValueKind == JsonValueKind.Array ? t.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : Array.Empty<string>();
                string[] layerPaths = image.TryGetProperty("Layers", out JsonElement l) && l.ValueKind == JsonValueKind.Array ? l.EnumerateArray().Select(x => x.GetString() ?? string.Empty).ToArray() : Array.Empty<string>();
                if (configPath is not null)
                {
                    images.Add((configPath, tags, layerPaths));
                }
            }
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"The manifest.json of '{path}' is not JSON.", ex);
        }
        catch (InvalidOperationException ex)
        {
            // Config, RepoTags or Layers of another type than docker save writes, or not text.
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"The manifest.json of '{path}' is not a docker save manifest: Config, RepoTags and Layers must be text.", ex);
        }

        var chosen = PickArchiveEntry(images, options.ArchiveImage, path, i => i.Tags.FirstOrDefault(), i => i.Tags);
        string configDigest = DigestOfPath(chosen.Config) ?? throw new RegistryException(RegistryErrorKind.InvalidArchive, $"The config '{chosen.Config}' in '{path}' is not named by its digest, so it cannot be verified.");
        byte[] config = await archive.ReadAllAsync(chosen.Config, client.Options.MaxConfigBytes, ct).ConfigureAwait(false);
        counter.Add(config.Length);
        string actual = Digests.Compute(configDigest, config);
        if (actual != configDigest)
        {
            throw Digests.Mismatch($"config {chosen.Config} in '{path}'", configDigest, actual);
        }

        Images.ImageConfigDocument parsedConfig = Images.ImageConfigDocument.Parse(config, path);
        var layers = new List<Descriptor>();
        for (int i = 0; i < chosen.Layers.Length; i++)
        {
            // Legacy archives name layers <id>/layer.tar: uncompressed, so their digest is the diff id.
            string? digest = DigestOfPath(chosen.Layers[i]) ?? (i < parsedConfig.DiffIds.Count ? parsedConfig.DiffIds[i] : null);
            if (digest is null || !Digests.IsValid(digest))
            {
                throw new RegistryException(RegistryErrorKind.InvalidArchive, $"Layer {i} ({chosen.Layers[i]}) of '{path}' has no digest to verify it by.");
            }

            layers.Add(new Descriptor(MediaTypes.OciLayerTar, digest, archive.Length(chosen.Layers[i]), null, new Dictionary<string, string>()));
        }

        var manifest = ManifestDocument.Synthetic(configDigest, new Descriptor(MediaTypes.DockerConfig, configDigest, config.Length, null, new Dictionary<string, string>()), layers);
        ImageReference? reference = chosen.Tags.FirstOrDefault() is { } tag && ImageReference.TryParse(tag, out ImageReference? parsed, out _) ? parsed : null;
        var pathsByDigest = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int i = 0; i < layers.Count; i++)
        {
            pathsByDigest[layers[i].Digest] = chosen.Layers[i];
        }

        return await BuildAsync(
            new BuildInput(reference, ImageSourceKind.Archive, Path.GetFullPath(path), manifest, manifest, null, config, PublicAccess.Unknown, path),
            d => new VerifyingBlobStream(_ => Task.FromResult(archive.OpenRead(pathsByDigest[d.Digest])), d.Digest, d.Size, counter, 0, client.Options.Log),
            null,
            options,
            counter,
            ct).ConfigureAwait(false);
    }

    private async Task<ManifestDocument> ReadArchiveManifestAsync(ImageArchive archive, string digest, DownloadCounter counter, string path, CancellationToken ct)
    {
        byte[] body = await ReadArchiveBlobAsync(archive, digest, client.Options.MaxManifestBytes, counter, ct).ConfigureAwait(false);
        return ManifestDocument.Parse(body, null, digest, path);
    }

    private static async Task<byte[]> ReadArchiveBlobAsync(ImageArchive archive, string digest, long maxBytes, DownloadCounter counter, CancellationToken ct)
    {
        string blob = BlobPath(digest);
        if (!archive.Exists(blob))
        {
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"The archive has no blob {digest}; it is incomplete.");
        }

        byte[] body = await archive.ReadAllAsync(blob, maxBytes, ct).ConfigureAwait(false);
        counter.Add(body.Length);
        string actual = Digests.Compute(digest, body);
        if (actual != digest)
        {
            throw Digests.Mismatch($"blob {blob} in the archive", digest, actual);
        }

        return body;
    }

    private static string BlobPath(string digest)
    {
        int colon = digest.IndexOf(':');
        return "blobs/" + digest.Substring(0, colon) + "/" + digest.Substring(colon + 1);
    }

    /// <summary>The digest a path names (<c>blobs/sha256/hex</c> or <c>hex.json</c>), or null.</summary>
    private static string? DigestOfPath(string memberPath)
    {
        string normalised = memberPath.Replace('\\', '/');
        string[] parts = normalised.Split('/');
        if (parts.Length >= 3 && parts[^3] == "blobs" && Digests.IsValid(parts[^2] + ":" + parts[^1]))
        {
            return parts[^2] + ":" + parts[^1];
        }

        string file = parts[^1];
        if (file.EndsWith(".json", StringComparison.Ordinal) && Digests.IsValid("sha256:" + file[..^5]))
        {
            return "sha256:" + file[..^5];
        }

        return null;
    }

    private static string? NameOf(Descriptor descriptor) =>
        descriptor.Annotations.TryGetValue(ContainerdNameAnnotation, out string? full) ? full
        : descriptor.Annotations.TryGetValue(RefNameAnnotation, out string? name) ? name
        : null;

    private static T PickArchiveEntry<T>(IReadOnlyList<T> entries, string? wanted, string path, Func<T, string?> nameOf, Func<T, IEnumerable<string>>? aliases = null)
    {
        if (entries.Count == 0)
        {
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"'{path}' holds no image.");
        }

        if (wanted is null)
        {
            if (entries.Count == 1)
            {
                return entries[0];
            }

            string names = string.Join(", ", entries.Select(e => nameOf(e) ?? "(unnamed)"));
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"'{path}' holds {entries.Count} images ({names}); name the one to read.");
        }

        bool Matches(string? candidate) =>
            candidate is not null && (candidate == wanted || candidate.EndsWith("/" + wanted, StringComparison.Ordinal) || candidate.EndsWith(":" + wanted, StringComparison.Ordinal)
                || (ImageReference.TryParse(candidate, out ImageReference? a, out _) && ImageReference.TryParse(wanted, out ImageReference? b, out _) && a!.FullName == b!.FullName));

        foreach (T entry in entries)
        {
            if (Matches(nameOf(entry)) || (aliases is not null && aliases(entry).Any(Matches)))
            {
                return entry;
            }
        }

        throw new RegistryException(RegistryErrorKind.NotFound, $"'{path}' holds no image named '{wanted}'.");
    }
}
