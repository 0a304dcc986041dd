using System.Formats.Tar;
using System.Net;
using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Images;
using Renku.PowerShell.Sessions.Docker;

using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Reads an image that is already in a Docker engine, without running it: the engine's inspect
/// data, and /etc/passwd, /etc/group and os-release copied out of a created (never started)
/// container, which is removed again.
/// </summary>
public static class DockerImageReader
{
    private static readonly string[] OsReleasePaths = { "/etc/os-release", "/usr/lib/os-release" };

    /// <summary>Reads <paramref name="image"/> (a reference or an image id) from the engine at <paramref name="dockerHost"/> (null: DOCKER_HOST or the default).</summary>
    public static Task<ImageInfo> ReadAsync(string image, string? dockerHost, CancellationToken cancellationToken) =>
        ReadAsync(image, dockerHost, CleanupLedger.Untracked, cancellationToken);

    /// <summary>As <see cref="ReadAsync(string, string?, CancellationToken)"/>; the helper container is recorded in <paramref name="ledger"/> until it is removed.</summary>
    public static async Task<ImageInfo> ReadAsync(string image, string? dockerHost, CleanupLedger ledger, CancellationToken cancellationToken)
    {
        using DockerClient client = await DockerEngine.ConnectAsync(dockerHost, null, cancellationToken).ConfigureAwait(false);
        ImageInspectResponse inspect;
        try
        {
            inspect = await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException ex)
        {
            throw new DockerEngineException($"The Docker engine has no image '{image}'. Pull or build it first, or check it from its registry with -Image.", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new DockerEngineException($"The Docker engine at {DockerHostResolver.Resolve(dockerHost)} could not be reached: {ex.Message}", ex) { Unreachable = true };
        }
        catch (DockerApiException ex)
        {
            throw new DockerEngineException($"The Docker engine refused to inspect '{image}' ({(int)ex.StatusCode}): {ex.ResponseBody}", ex);
        }

        var files = new List<ImageFile>();
        string? passwd, group, osRelease = null;
        // Named and recorded before the create call, so that a stop while it is in flight still removes it.
        string container = "renku-read-" + Guid.NewGuid().ToString("N")[..10];
        IDisposable entry = ledger.Track($"Docker container {container} (docker rm -f {container})");
        bool createAnswered = false;
        try
        {
            var parameters = new CreateContainerParameters
            {
                Name = container,
                Image = inspect.ID,
                Entrypoint = new List<string> { "/renku-check-never-started" },
                Cmd = new List<string>(),
                Labels = new Dictionary<string, string> { [DockerSessionRunner.CheckLabel] = "read" },
                HostConfig = new HostConfig { NetworkMode = "none" },
            };
            await CreateCall.RunAsync(token => client.Containers.CreateContainerAsync(parameters, token), () => createAnswered = true, cancellationToken).ConfigureAwait(false);
            passwd = await ReadFileAsync(client, container, "/etc/passwd", files, cancellationToken).ConfigureAwait(false);
            group = await ReadFileAsync(client, container, "/etc/group", files, cancellationToken).ConfigureAwait(false);
            foreach (string path in OsReleasePaths)
            {
                osRelease = await ReadFileAsync(client, container, path, files, cancellationToken).ConfigureAwait(false);
                if (osRelease is not null)
                {
                    break;
                }
            }
        }
        finally
        {
            if (await RemoveAsync(client, container, createAnswered).ConfigureAwait(false))
            {
                entry.Dispose();
            }
        }

        DockerOCIImageConfig? config = inspect.Config;
        var configuration = new ImageConfiguration
        {
            User = config?.User,
            WorkingDir = config?.WorkingDir,
            Entrypoint = config?.Entrypoint?.ToArray(),
            Cmd = config?.Cmd?.ToArray(),
            Env = config?.Env?.ToArray() ?? Array.Empty<string>(),
            ExposedPorts = config?.ExposedPorts?.Keys.ToArray() ?? Array.Empty<string>(),
            Labels = config?.Labels is null ? new Dictionary<string, string>() : new Dictionary<string, string>(config.Labels),
            Volumes = config?.Volumes?.Keys.ToArray() ?? Array.Empty<string>(),
        };
        IReadOnlyDictionary<string, string> os = osRelease is null ? new Dictionary<string, string>() : Images.OsRelease.Parse(osRelease);
        ImageReference.TryParse(image, out ImageReference? reference, out _);
        string? digest = inspect.RepoDigests?.Select(d => d[(d.IndexOf('@') + 1)..]).FirstOrDefault();
        var platform = new ImagePlatform(inspect.Os ?? "linux", inspect.Architecture ?? "amd64", string.IsNullOrEmpty(inspect.Variant) ? null : inspect.Variant);
        return new ImageInfo
        {
            Reference = inspect.ID.Contains(image, StringComparison.Ordinal) ? null : reference,
            Source = ImageSourceKind.Docker,
            Digest = digest,
            Platform = platform,
            Platforms = new[] { platform },
            LayerCount = inspect.RootFS?.Layers?.Count ?? 0,
            Created = inspect.Created is DateTime created ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc)) : null,
            Config = configuration,
            User = UserResolver.Resolve(config?.User, passwd, group),
            OsId = os.GetValueOrDefault("ID"),
            OsVersion = os.GetValueOrDefault("VERSION_ID"),
            OsIdLike = os.TryGetValue("ID_LIKE", out string? like) ? like.Split(' ', StringSplitOptions.RemoveEmptyEntries) : Array.Empty<string>(),
            OsPrettyName = os.GetValueOrDefault("PRETTY_NAME"),
            Files = files,
        };
    }

    /// <summary>Copies one file out of the container, following symbolic links; null when it does not exist.</summary>
    private static async Task<string?> ReadFileAsync(DockerClient client, string containerId, string path, List<ImageFile> files, CancellationToken cancellationToken)
    {
        string current = path;
        for (int hop = 0; hop < 8; hop++)
        {
            ContainerArchiveResponse archive;
            try
            {
                archive = await client.Containers.GetArchiveFromContainerAsync(containerId, new ContainerPathStatParameters { Path = current }, false, cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound || ex is DockerContainerNotFoundException)
            {
                files.Add(new ImageFile { Path = path, ResolvedPath = current, Exists = false, LayerIndex = -1 });
                return null;
            }

            using Stream? stream = archive.Stream;
            if (stream is null)
            {
                return null;
            }

            using var reader = new TarReader(stream);
            TarEntry? entry = await reader.GetNextEntryAsync(copyData: true, cancellationToken).ConfigureAwait(false);
            if (entry is null)
            {
                return null;
            }

            if (entry.EntryType == TarEntryType.SymbolicLink)
            {
                string target = entry.LinkName;
                current = target.StartsWith('/') ? target : SessionLayout.Normalize(Path.GetDirectoryName(current)!.Replace('\\', '/') + "/" + target);
                continue;
            }

            if (entry.DataStream is null || entry.Length > 1024 * 1024)
            {
                return null;
            }

            using var text = new StreamReader(entry.DataStream);
            string content = await text.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            files.Add(new ImageFile { Path = path, ResolvedPath = current, Content = content, LayerIndex = -1 });
            return content;
        }

        return null;
    }

    /// <summary>Removes the helper container by name within the cleanup time limit; true when it is gone (or never came to be).</summary>
    private static async Task<bool> RemoveAsync(DockerClient client, string container, bool createAnswered)
    {
        using var limit = new CancellationTokenSource(CleanupLedger.RemovalTimeout);
        try
        {
            await client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (DockerContainerNotFoundException)
        {
            // Gone, unless its create call is still unanswered and the engine may yet make it.
            return createAnswered;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
