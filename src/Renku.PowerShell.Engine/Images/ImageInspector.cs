using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Images;

/// <summary>
/// Looks inside images without a Docker engine: from a registry (manifest, config and, when
/// asked, a few files streamed out of the layers) or from a local <c>docker save</c> archive or
/// OCI layout. One instance holds one HTTP client and token cache; it is safe to call from
/// several tasks at once and meant to be reused. Failures are <see cref="RegistryException"/>s.
/// </summary>
public sealed partial class ImageInspector : IDisposable
{
    /// <summary>The files settled from the top layer down: the user database.</summary>
    public static readonly IReadOnlyList<string> UserDatabaseFiles = new[] { "/etc/passwd", "/etc/group" };

    /// <summary>The files taken from the lowest layers that hold them: the distribution's identity.</summary>
    public static readonly IReadOnlyList<string> IdentityFiles = new[] { "/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/lsb-release" };

    private static readonly string[] OsReleaseFiles = { "/etc/os-release", "/usr/lib/os-release" };

    private static readonly ImagePlatform DefaultPlatform = new("linux", "amd64");

    /// <summary>How many bytes of image configs one inspector keeps (they are small: a few KiB each).</summary>
    private const long ConfigCacheBytes = 32L * 1024 * 1024;

    private readonly RegistryClient client;
    private readonly LayerRecordCache layerCache = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte[]> configs = new(StringComparer.Ordinal);
    private long configBytes;

    public ImageInspector(RegistryClientOptions? options = null)
    {
        client = new RegistryClient(options ?? new RegistryClientOptions());
    }

    /// <summary>Whether requests to <paramref name="registry"/> carry a credential (given, or from the Docker config).</summary>
    public bool HasCredentialFor(string registry) => client.HasCredentialFor(registry);

    /// <summary>The options this inspector was made with.</summary>
    public RegistryClientOptions Options => client.Options;

    public void Dispose() => client.Dispose();

    /// <summary>Inspects an image in its registry, within the options' operation bound.</summary>
    public Task<ImageInfo> InspectAsync(ImageReference reference, ImageInspectionOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return WithinOperationAsync($"Reading {reference.FullName}", ct => InspectUnboundedAsync(reference, options ?? new ImageInspectionOptions(), ct), cancellationToken);
    }

    private async Task<ImageInfo> InspectUnboundedAsync(ImageReference reference, ImageInspectionOptions options, CancellationToken cancellationToken)
    {
        var counter = new DownloadCounter(client.Options.LayerByteBudget);
        string registry = reference.Registry;
        string repository = reference.Repository;
        string where = reference.FullName;
        Report(options, $"Reading the manifest of {where}", counter);
        ManifestDocument top = await client.GetManifestAsync(registry, repository, reference.Digest ?? reference.Tag!, counter, cancellationToken).ConfigureAwait(false);
        (ManifestDocument manifest, IReadOnlyList<ImagePlatform>? platforms) = await SelectPlatformAsync(
            top,
            options.Platform,
            where,
            digest => client.GetManifestAsync(registry, repository, digest, counter, cancellationToken)).ConfigureAwait(false);

        Report(options, $"Reading the config of {where}", counter);
        byte[] config = await GetConfigAsync(registry, repository, manifest.Config!.Digest, counter, cancellationToken).ConfigureAwait(false);

        PublicAccess access = PublicAccess.Unknown;
        if (options.CheckPublicAccess)
        {
            // Without any credential for this registry the requests above were anonymous already.
            access = client.HasCredentialFor(registry)
                ? await client.ClassifyPublicAccessAsync(registry, repository, reference.Digest ?? reference.Tag!, cancellationToken).ConfigureAwait(false)
                : PublicAccess.Public;
        }

        return await BuildAsync(
            new BuildInput(reference, ImageSourceKind.Registry, null, top, manifest, platforms, config, access, where),
            descriptor => client.OpenBlob(registry, repository, descriptor.Digest, descriptor.Size, counter),
            registry,
            options,
            counter,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The digest a reference resolves to (the index digest for multi-platform images).</summary>
    public Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return WithinOperationAsync($"Resolving the digest of {reference.FullName}", async ct =>
        {
            ManifestDocument top = await client.GetManifestAsync(reference.Registry, reference.Repository, reference.Digest ?? reference.Tag!, new DownloadCounter(0), ct).ConfigureAwait(false);
            return top.Digest;
        }, cancellationToken);
    }

    /// <summary>
    /// The digest a reference resolves to, then (for an index) the digests of the platform images
    /// it holds: what a tag that points at one of those images has in common with it.
    /// </summary>
    public Task<IReadOnlyList<string>> ResolveManifestDigestsAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return WithinOperationAsync<IReadOnlyList<string>>($"Resolving the digests of {reference.FullName}", async ct =>
        {
            ManifestDocument top = await client.GetManifestAsync(reference.Registry, reference.Repository, reference.Digest ?? reference.Tag!, new DownloadCounter(0), ct).ConfigureAwait(false);
            return new[] { top.Digest }.Concat(top.Manifests.Where(m => !m.IsAttestation).Select(m => m.Digest)).Distinct(StringComparer.Ordinal).ToList();
        }, cancellationToken);
    }

    /// <summary>Whether the image can be pulled with no credentials at all.</summary>
    public Task<PublicAccess> GetPublicAccessAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return WithinOperationAsync(
            $"Checking public access to {reference.FullName}",
            ct => client.ClassifyPublicAccessAsync(reference.Registry, reference.Repository, reference.Digest ?? reference.Tag!, ct),
            cancellationToken);
    }

    /// <summary>
    /// Every tag of the reference's repository (its tag and digest are ignored), newest version
    /// first, then the tags that are not versions in the registry's order.
    /// </summary>
    public async Task<IReadOnlyList<ImageTag>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        IReadOnlyList<string> names = await WithinOperationAsync(
            $"Listing the tags of {repository.Name}",
            ct => client.ListTagsAsync(repository.Registry, repository.Repository, new DownloadCounter(long.MaxValue), ct),
            cancellationToken).ConfigureAwait(false);
        var read = names.Select(name => (Tag: Upgrades.TagVersion.Parse(name), Name: name)).ToList();
        IEnumerable<ImageTag> ToTags(IEnumerable<(Upgrades.TagVersion Tag, string Name)> items) => items.Select(item => new ImageTag
        {
            Repository = repository.Name,
            Name = item.Name,
            Kind = item.Tag.Kind,
            Version = item.Tag.Version,
            Build = item.Tag.Build,
        });

        // Equal versions (22.04 and 22.4) keep one order: more written parts first, then by name.
        return ToTags(read.Where(t => t.Tag.IsVersion).OrderByDescending(t => t.Tag, Comparer<Upgrades.TagVersion>.Create(Upgrades.TagVersion.Compare)).ThenByDescending(t => t.Tag.Precision).ThenBy(t => t.Name, StringComparer.Ordinal))
            .Concat(ToTags(read.Where(t => !t.Tag.IsVersion)))
            .ToList();
    }

    /// <summary>Every tag of a repository given as text (<c>ghcr.io/org/image</c>).</summary>
    public Task<IReadOnlyList<ImageTag>> ListTagsAsync(string repository, CancellationToken cancellationToken = default) =>
        ListTagsAsync(ImageReference.Parse(repository), cancellationToken);

    /// <summary>
    /// Runs one registry operation within <see cref="HttpTimeouts.Operation"/>, retries and every
    /// request included; running out of time is a <see cref="RegistryErrorKind.TimedOut"/>.
    /// </summary>
    private Task<T> WithinOperationAsync<T>(string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        TimeSpan bound = client.Options.Timeouts.Operation;
        return TimedHttp.WithinAsync(
            bound,
            late => new RegistryException(RegistryErrorKind.TimedOut, $"{what} did not finish within {HttpTimeouts.Describe(bound)}; stopped. Give more time with -RegistryTimeout if the registry is only slow.", late),
            work,
            cancellationToken);
    }

    private static async Task<(ManifestDocument Manifest, IReadOnlyList<ImagePlatform>? Platforms)> SelectPlatformAsync(
        ManifestDocument top,
        ImagePlatform? wanted,
        string where,
        Func<string, Task<ManifestDocument>> fetch)
    {
        if (!top.IsIndex)
        {
            return (top, null);
        }

        var images = top.Manifests.Where(m => !m.IsAttestation).ToList();
        var platformed = images.Where(m => m.Platform is not null).ToList();
        IReadOnlyList<ImagePlatform> platforms = platformed.Select(m => m.Platform!).ToList();
        Descriptor? pick;
        if (platformed.Count == 0 && images.Count == 1)
        {
            pick = images[0];
        }
        else
        {
            ImagePlatform target = wanted ?? DefaultPlatform;
            pick = platformed.FirstOrDefault(m => string.Equals(m.Platform!.ToString(), target.ToString(), StringComparison.OrdinalIgnoreCase))
                ?? platformed.FirstOrDefault(m => target.Matches(m.Platform!));
        }

        if (pick is null)
        {
            string offered = platforms.Count == 0 ? "none" : string.Join(", ", platforms.Select(p => p.ToString()));
            throw new RegistryException(RegistryErrorKind.PlatformNotFound, $"{where} has no image for {wanted ?? DefaultPlatform}; it offers: {offered}. Pick one with -Platform.");
        }

        ManifestDocument manifest = await fetch(pick.Digest).ConfigureAwait(false);
        if (manifest.IsIndex)
        {
            throw new RegistryException(RegistryErrorKind.UnsupportedMediaType, $"{where} nests an index inside its index; this client reads one level.");
        }

        return (manifest, platforms);
    }

    /// <summary>
    /// An image config by digest: verified when downloaded, so one read serves every image and
    /// environment that uses it for the life of this inspector.
    /// </summary>
    private async Task<byte[]> GetConfigAsync(string registry, string repository, string digest, DownloadCounter counter, CancellationToken ct)
    {
        if (configs.TryGetValue(digest, out byte[]? known))
        {
            return known;
        }

        byte[] config = await client.GetBlobBytesAsync(registry, repository, digest, client.Options.MaxConfigBytes, counter, ct).ConfigureAwait(false);
        if (Volatile.Read(ref configBytes) + config.Length <= ConfigCacheBytes && configs.TryAdd(digest, config))
        {
            Interlocked.Add(ref configBytes, config.Length);
        }

        return config;
    }

    /// <param name="cacheScope">The registry the layers come from, so that what is read is shared with later images; null for local archives.</param>
    private async Task<ImageInfo> BuildAsync(BuildInput input, Func<Descriptor, Stream> openLayer, string? cacheScope, ImageInspectionOptions options, DownloadCounter counter, CancellationToken ct)
    {
        ImageConfigDocument config = ImageConfigDocument.Parse(input.Config, input.Where);
        ManifestDocument manifest = input.Manifest;
        IReadOnlyList<ImagePlatform> platforms;
        ImagePlatform platform;
        if (input.Platforms is null)
        {
            platform = new ImagePlatform(config.Os ?? "unknown", config.Architecture ?? "unknown", string.IsNullOrEmpty(config.Variant) ? null : config.Variant, manifest.Digest);
            platforms = new[] { platform };
            if (options.Platform is not null && !options.Platform.Matches(platform))
            {
                throw new RegistryException(RegistryErrorKind.PlatformNotFound, $"{input.Where} is a single-platform image for {platform}, not {options.Platform}.");
            }
        }
        else
        {
            platforms = input.Platforms;
            platform = platforms.FirstOrDefault(p => p.Digest == manifest.Digest) ?? new ImagePlatform(config.Os ?? "unknown", config.Architecture ?? "unknown", config.Variant, manifest.Digest);
        }

        var layers = manifest.Layers.Select((d, i) => new ImageLayer { Index = i, Digest = d.Digest, Size = d.Size, MediaType = d.MediaType }).ToList();
        IReadOnlyList<ImageFile> files = Array.Empty<ImageFile>();
        ImageUser user = UserResolver.FromSpecOnly(config.Configuration.User);
        IReadOnlyDictionary<string, string> osRelease = new Dictionary<string, string>();
        if (options.ReadFiles)
        {
            var reader = new LayeredFileReader(
                layers,
                (index, _) =>
                {
                    Report(options, $"Reading layer {index + 1} of {layers.Count} of {input.Where}", counter, layers.Sum(l => l.Size));
                    return Task.FromResult(openLayer(manifest.Layers[index]));
                },
                client.Options.Log,
                cacheScope is null ? null : layerCache,
                cacheScope);
            files = await reader.ReadAsync(UserDatabaseFiles.Concat(options.ExtraFiles).ToList(), IdentityFiles, OsReleaseFiles, ct).ConfigureAwait(false);
            ImageFile? passwd = files.FirstOrDefault(f => f.Path == "/etc/passwd" && f.Exists);
            ImageFile? group = files.FirstOrDefault(f => f.Path == "/etc/group" && f.Exists);
            user = UserResolver.Resolve(config.Configuration.User, passwd?.Content, group?.Content);
            ImageFile? release = files.FirstOrDefault(f => f.Path == "/etc/os-release" && f.Exists) ?? files.FirstOrDefault(f => f.Path == "/usr/lib/os-release" && f.Exists);
            if (release is not null)
            {
                osRelease = OsRelease.Parse(release.Content);
            }
        }

        Report(options, $"Inspected {input.Where}", counter);
        return new ImageInfo
        {
            Reference = input.Reference,
            Source = input.Source,
            Path = input.Path,
            Digest = manifest.Digest,
            IndexDigest = input.Top.Digest,
            Platform = platform,
            Platforms = platforms,
            MediaType = input.Top.MediaType,
            Layers = layers,
            CompressedSize = layers.Sum(l => Math.Max(0, l.Size)),
            LayerCount = layers.Count,
            Created = config.Created,
            Config = config.Configuration,
            User = user,
            OsId = osRelease.TryGetValue("ID", out string? id) ? id : null,
            OsVersion = osRelease.TryGetValue("VERSION_ID", out string? version) ? version : null,
            OsIdLike = osRelease.TryGetValue("ID_LIKE", out string? like) ? like.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>(),
            OsPrettyName = osRelease.TryGetValue("PRETTY_NAME", out string? pretty) ? pretty : null,
            PublicAccess = input.Access,
            BytesDownloaded = counter.Total,
            Files = files,
        };
    }

    private static void Report(ImageInspectionOptions options, string phase, DownloadCounter counter, long? total = null) =>
        options.Progress?.Report(new ImageInspectionProgress(phase, counter.Total, total));

    private sealed record BuildInput(
        ImageReference? Reference,
        ImageSourceKind Source,
        string? Path,
        ManifestDocument Top,
        ManifestDocument Manifest,
        IReadOnlyList<ImagePlatform>? Platforms,
        byte[] Config,
        PublicAccess Access,
        string Where);
}
