using System.Net;
using System.Text;
using System.Text.Json;

using k8s.Models;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Builds;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Registry;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Fuzz;

/// <summary>
/// One target per reader of foreign bytes. Each feeds the bytes to the reader the way the module
/// does and lists the exceptions the reader may end with: the module's own typed ones. Anything
/// else escapes <see cref="FuzzContract.Check"/> and is a finding.
/// </summary>
public static class FuzzTargets
{
    public static IReadOnlyList<FuzzTarget> All { get; } = new FuzzTarget[]
    {
        new("env-yaml", bytes => EnvironmentFileTarget(bytes, ".yaml"), typeof(EnvironmentFileException)),
        new("env-json", bytes => EnvironmentFileTarget(bytes, ".json"), typeof(EnvironmentFileException)),
        new("dockerfile", Dockerfile, typeof(DockerfileException), typeof(UpgradeFileException)),
        new("dockerignore", DockerIgnoreTarget, typeof(DockerIgnoreException)),
        new("image-reference", ImageReferences, typeof(ImageReferenceException)),
        new("tag-version", TagVersions),
        new("image-archive", ImageArchiveTarget, typeof(RegistryException)),
        new("manifest", Manifest, typeof(RegistryException)),
        new("image-config", ImageConfig, typeof(RegistryException)),
        new("layer", Layer, typeof(RegistryException)),
        new("os-release", bytes => OsRelease.Parse(Text(bytes))),
        new("passwd-group", PasswdGroup),
        new("www-authenticate", bytes => AuthChallenge.Parse(Text(bytes))),
        new("registry-answer", RegistryAnswer, typeof(RegistryException), typeof(Http.HttpTimeoutException)),
        new("jwt", Jwt, typeof(InvalidAccessTokenException)),
        new("kubeconfig", Kubeconfig, typeof(KubernetesException)),
        new("docker-config", DockerConfig, typeof(RegistryException)),
        new("renku-api", RenkuAnswer, typeof(RenkuApiException), typeof(Http.HttpTimeoutException)),
        new("kubernetes-api", KubernetesAnswer, typeof(KubernetesException)),
    };

    public static FuzzTarget Find(string name) =>
        All.FirstOrDefault(t => t.Name == name) ?? throw new ArgumentException($"There is no fuzz target '{name}'; the targets are: {string.Join(", ", All.Select(t => t.Name))}.");

    /// <summary>Bytes as the module decodes text files (UTF-8, invalid sequences replaced).</summary>
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    private static void EnvironmentFileTarget(byte[] bytes, string extension)
    {
        string path = Scratch.Write("environments" + extension, bytes);
        IReadOnlyList<EnvironmentFileItem> items = EnvironmentFile.ReadItems(path);
        _ = EnvironmentFile.Validate(path, items);
    }

    private static void Dockerfile(byte[] bytes)
    {
        string path = Scratch.Write("Dockerfile", bytes);
        DockerfileDocument document = DockerfileDocument.Load(path, new Dictionary<string, string> { ["VERSION"] = "1.0" });
        _ = document.FinalStage?.ResolvedBaseImage;
        _ = UpgradeInputReader.FromDockerfile(path);
    }

    private static void DockerIgnoreTarget(byte[] bytes)
    {
        DockerIgnore ignore = DockerIgnore.Parse(Text(bytes));
        foreach (string path in new[] { "Dockerfile", "src/a.cs", "node_modules/x/y", ".git/HEAD", "a b/[c]", "deep/er/path/file.txt" })
        {
            if (ignore.IsExcluded(path))
            {
                _ = ignore.MustDescendInto(path);
            }
        }
    }

    private static void ImageReferences(byte[] bytes)
    {
        foreach (string line in Text(bytes).Split('\n'))
        {
            if (ImageReference.TryParse(line, out ImageReference? parsed, out _))
            {
                // What parses must format to a reference that parses to the same thing.
                ImageReference again = ImageReference.Parse(parsed!.ToString());
                if (again.ToString() != parsed.ToString())
                {
                    throw new FuzzContractException($"'{line}' formats as '{parsed}', which parses back as '{again}'.");
                }
            }

            Quietly<ImageReferenceException>(() => ImageReference.Parse(line));
        }
    }

    private static void TagVersions(byte[] bytes)
    {
        string[] tags = Text(bytes).Split('\n');
        TagVersion current = TagVersion.Parse(tags[0]);
        _ = UpgradeSelector.Analyze(current, tags.Skip(1), new UpgradePolicy());
        _ = UpgradeSelector.ReleasesToCompare(tags, new UpgradePolicy());

        try
        {
            _ = ImagePlatform.Parse(tags[0]);
        }
        catch (FormatException)
        {
            // ImagePlatform's documented answer to a malformed platform.
        }
    }

    private static void ImageArchiveTarget(byte[] bytes)
    {
        string path = Scratch.Write("image.tar", bytes);
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, LayerByteBudget = 64L * 1024 * 1024 });
        _ = inspector.InspectArchiveAsync(path, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false }).GetAwaiter().GetResult();
    }

    private static void Manifest(byte[] bytes)
    {
        foreach (string? contentType in new[] { null, MediaTypes.OciIndex, MediaTypes.OciManifest })
        {
            // Each reading in turn: a refusal of one does not end the others.
            Quietly<RegistryException>(() => _ = ManifestDocument.Parse(bytes, contentType, Digests.Sha256(bytes), "fuzz").Manifests.Select(m => m.Platform?.ToString()).ToList());
        }
    }

    private static void ImageConfig(byte[] bytes) => _ = ImageConfigDocument.Parse(bytes, "fuzz");

    private static void Layer(byte[] bytes)
    {
        var layers = new[] { new ImageLayer { Index = 0, Digest = Digests.Sha256(bytes), Size = bytes.Length } };
        var reader = new LayeredFileReader(layers, (_, _) => Task.FromResult<Stream>(new MemoryStream(bytes, writable: false)), null);
        _ = reader.ReadAsync(
            new[] { "/etc/passwd", "/etc/group", "/usr/local/bin/start", "/home/renku/work" },
            new[] { "/etc/os-release", "/usr/lib/os-release", "/etc/debian_version" },
            new[] { "/etc/os-release", "/usr/lib/os-release" },
            CancellationToken.None).GetAwaiter().GetResult();
    }

    private static void PasswdGroup(byte[] bytes)
    {
        // The first line is the USER instruction's value; the passwd and group files follow, split by a line "--".
        string[] parts = Text(bytes).Split("\n--\n", 3);
        string spec = parts[0].Split('\n')[0];
        string? passwd = parts.Length > 1 ? parts[0].Substring(spec.Length) + parts[1] : parts[0];
        string? group = parts.Length > 2 ? parts[2] : null;
        _ = UserResolver.Resolve(spec, passwd, group);
        _ = UserResolver.FromSpecOnly(spec);
    }

    private static void Jwt(byte[] bytes)
    {
        string token = Text(bytes);
        _ = JwtClaims.Expiry(token);
        _ = new StaticTokenSource(token).Expiry;
    }

    private static void Kubeconfig(byte[] bytes)
    {
        string path = Scratch.Write("kubeconfig", bytes);
        var resolver = new KubeconfigResolver(_ => null, path, () => false);
        var target = new KubernetesTarget { Kubeconfig = path };
        _ = resolver.ContextNames(target);
        _ = resolver.Describe(target);
        _ = resolver.Resolve(target);
    }

    private static void DockerConfig(byte[] bytes)
    {
        string path = Scratch.Write("config.json", bytes);
        var credentials = new DockerConfigCredentials(path, null);
        foreach (string registry in new[] { "docker.io", "ghcr.io", "registry.example.org:5000" })
        {
            _ = credentials.Find(registry);
        }
    }

    private static void RegistryAnswer(byte[] bytes)
    {
        HttpAnswer answer = HttpAnswer.Parse(bytes);
        using var client = new RegistryClient(new RegistryClientOptions
        {
            UseDockerConfig = false,
            MaxAttempts = 2,
            InitialBackoff = TimeSpan.FromMilliseconds(1),
            MaxRetryWait = TimeSpan.FromMilliseconds(10),
            Handler = new AnswerHandler(answer),
        });
        var counter = new DownloadCounter(64L * 1024 * 1024);
        Quietly<RegistryException>(() => client.ListTagsAsync("registry.example.org", "team/lab", counter, CancellationToken.None).GetAwaiter().GetResult());
        _ = client.GetManifestAsync("registry.example.org", "team/lab", "1.0", counter, CancellationToken.None).GetAwaiter().GetResult();
    }

    private static void RenkuAnswer(byte[] bytes)
    {
        HttpAnswer answer = HttpAnswer.Parse(bytes);
        var http = new HttpClient(new AnswerHandler(answer)) { Timeout = Timeout.InfiniteTimeSpan };
        using var connection = new RenkuConnection(new Uri("https://renku.example.org"), new Uri("https://renku.example.org/api/data/"), null, null, http, new StaticTokenSource("token"), new RenkuConnectionOptions());
        var api = new RenkuApiClient(connection);
        Quietly<RenkuApiException>(() => api.GetEnvironmentsAsync(true, CancellationToken.None).GetAwaiter().GetResult());
        Quietly<RenkuApiException>(() => api.GetSessionLaunchersAsync(null, CancellationToken.None).GetAwaiter().GetResult());
        Quietly<RenkuApiException>(() => api.CheckImageAsync("python:3.12", CancellationToken.None).GetAwaiter().GetResult());
        Quietly<RenkuApiException>(() => api.GetVersionAsync(CancellationToken.None).GetAwaiter().GetResult());
        _ = api.GetUserAsync(CancellationToken.None).GetAwaiter().GetResult();
    }

    private static void KubernetesAnswer(byte[] bytes)
    {
        // The answer to the session list; the pod list is the part after a line "--" when there is one.
        const string Server = "https://k8s.example.org:6443";
        string text = Text(bytes);
        int split = text.IndexOf("\n--\n", StringComparison.Ordinal);
        string sessions = split < 0 ? text : text.Substring(0, split);
        string? pods = split < 0 ? null : text.Substring(split + 4);
        JsonElement page = AsClient(() => k8s.KubernetesJson.Deserialize<JsonElement>(sessions), Server, "list sessions");
        AmaltheaSessionList list = RenkuSessionReader.ReadSessionPage(page, Server, "list sessions");
        V1PodList? podList = pods is null ? null : AsClient(() => k8s.KubernetesJson.Deserialize<V1PodList>(pods), Server, "list pods");
        foreach (AmaltheaSessionResource resource in list.Items ?? new List<AmaltheaSessionResource>())
        {
            V1Pod? pod = podList?.Items?.FirstOrDefault(p => p?.Metadata?.Name == resource.Metadata?.Name + "-0");
            _ = SessionJoiner.Select(SessionJoiner.Join(resource, pod, DateTimeOffset.UnixEpoch, "renku"), new RenkuSessionQuery());
        }
    }

    /// <summary>What the Kubernetes client's own reading of an answer ends with, as the connection translates it.</summary>
    private static T AsClient<T>(Func<T> read, string server, string what)
    {
        try
        {
            return read();
        }
        catch (Exception ex) when (KubernetesConnection.IsAnswerReadingError(ex))
        {
            // As KubernetesConnection.Translate turns the client's reading errors into the module's.
            throw KubernetesConnection.InvalidAnswer(server, what, ex);
        }
    }

    private static void Quietly<TException>(Action action)
        where TException : Exception
    {
        try
        {
            action();
        }
        catch (TException)
        {
            // A typed refusal; the next call of the target goes on.
        }
    }
}

/// <summary>A reader under test: its name, how it is fed and the exceptions it is allowed to end with.</summary>
public sealed class FuzzTarget
{
    public FuzzTarget(string name, Action<byte[]> run, params Type[] typed)
    {
        Name = name;
        Run = run;
        Typed = typed;
    }

    public string Name { get; }

    public Action<byte[]> Run { get; }

    public IReadOnlyList<Type> Typed { get; }
}
