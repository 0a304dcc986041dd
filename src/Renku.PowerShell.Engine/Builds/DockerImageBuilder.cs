using System.IO.Pipelines;
using System.Net;

using Docker.DotNet;
using Docker.DotNet.Models;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Docker;

namespace Renku.PowerShell.Builds;

/// <summary>
/// Builds images from a Dockerfile on a Docker engine (the engine's classic builder, as
/// <c>docker build</c> with DOCKER_BUILDKIT=0) and pushes them. The context is listed first, then
/// streamed as a tar through a small pipe while the engine reads it.
/// </summary>
public sealed class DockerImageBuilder : IDisposable
{
    private const long PipePauseBytes = 4 * 1024 * 1024;

    private readonly DockerClient client;

    private DockerImageBuilder(DockerClient client, Uri endpoint)
    {
        this.client = client;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Connects to the engine at <paramref name="dockerHost"/> (or DOCKER_HOST, or the default).</summary>
    public static async Task<DockerImageBuilder> ConnectAsync(string? dockerHost, CancellationToken cancellationToken)
    {
        try
        {
            Uri endpoint = DockerHostResolver.Resolve(dockerHost);
            DockerClient client = await DockerEngine.ConnectAsync(endpoint, System.Threading.Timeout.InfiniteTimeSpan, cancellationToken).ConfigureAwait(false);
            return new DockerImageBuilder(client, endpoint);
        }
        catch (DockerEngineException ex)
        {
            throw new ImageBuildException(ex.InvalidAddress ? ImageBuildFailure.InvalidInput : ImageBuildFailure.EngineUnavailable, ex.Message, innerException: ex);
        }
    }

    /// <summary>
    /// Checks the request and lists the context without sending anything: a missing directory or
    /// Dockerfile fails here.
    /// </summary>
    public static void Validate(DockerBuildRequest request)
    {
        if (!Directory.Exists(request.ContextDirectory))
        {
            throw new ImageBuildException(ImageBuildFailure.InvalidInput, $"The build context '{request.ContextDirectory}' is not a directory. Give -Path the folder that holds the Dockerfile and the files it copies.");
        }

        string dockerfile = request.DockerfilePath ?? Path.Combine(request.ContextDirectory, "Dockerfile");
        if (!File.Exists(dockerfile))
        {
            throw new ImageBuildException(ImageBuildFailure.InvalidInput, $"There is no Dockerfile at '{dockerfile}'. Add one, or name it with -Dockerfile.");
        }

        _ = LoadIgnore(request.ContextDirectory);
    }

    /// <summary>The context's .dockerignore; a line the docker CLI refuses fails the build before anything is sent.</summary>
    private static DockerIgnore LoadIgnore(string contextDirectory)
    {
        try
        {
            return DockerIgnore.Load(contextDirectory);
        }
        catch (DockerIgnoreException ex)
        {
            throw new ImageBuildException(ImageBuildFailure.InvalidDockerignore, ex.Message, innerException: ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ImageBuildException(ImageBuildFailure.ContextUnreadable, $"The .dockerignore of '{contextDirectory}' cannot be read: {ex.Message}", innerException: ex);
        }
    }

    public async Task<DockerBuildOutcome> BuildAsync(DockerBuildRequest request, Action<BuildEvent> sink, CancellationToken cancellationToken)
    {
        Validate(request);
        string dockerfile = Path.GetFullPath(request.DockerfilePath ?? Path.Combine(request.ContextDirectory, "Dockerfile"));
        string contextRoot = Path.GetFullPath(request.ContextDirectory);
        string relativeDockerfile = Path.GetRelativePath(contextRoot, dockerfile).Replace('\\', '/');
        (string, string)? outside = null;
        if (relativeDockerfile.StartsWith("../", StringComparison.Ordinal) || relativeDockerfile == ".." || Path.IsPathRooted(relativeDockerfile))
        {
            // As the CLI does: a Dockerfile outside the context travels in the tar under a unique name.
            relativeDockerfile = ".dockerfile." + Guid.NewGuid().ToString("N")[..20];
            outside = (dockerfile, relativeDockerfile);
        }

        DockerIgnore ignore = LoadIgnore(contextRoot).AlwaysKeeping(".dockerignore", relativeDockerfile);
        BuildContext context;
        try
        {
            context = BuildContextWriter.Scan(contextRoot, ignore, cancellationToken);
        }
        catch (BuildContextException ex)
        {
            throw new ImageBuildException(ImageBuildFailure.ContextUnreadable, ex.Message, innerException: ex);
        }

        sink(BuildEvent.Debug($"Build context {contextRoot}: {context.FileCount} files, {context.TotalBytes} bytes after {ignore.Patterns.Count} .dockerignore patterns."));
        foreach (string socket in context.SkippedSockets)
        {
            sink(BuildEvent.Warning($"The build context entry '{socket}' is a socket (or another file type a tar cannot hold) and is not sent, as the docker CLI skips it; add it to .dockerignore to silence this."));
        }

        if (context.TotalBytes > request.ContextWarningBytes)
        {
            string largest = string.Join(", ", context.LargestTopLevelEntries(5).Select(p => $"{p.Key} ({FormatBytes(p.Value)})"));
            sink(BuildEvent.Warning($"The build context is {FormatBytes(context.TotalBytes)} in {context.FileCount} files; the biggest entries are {largest}. Add what the image does not need to .dockerignore, or raise -ContextSizeWarning."));
        }

        var parameters = new ImageBuildParameters
        {
            Dockerfile = relativeDockerfile,
            Tags = request.Tags.ToList(),
            BuildArgs = request.BuildArgs.ToDictionary(p => p.Key, p => p.Value),
            Labels = request.Labels.ToDictionary(p => p.Key, p => p.Value),
            Target = string.IsNullOrEmpty(request.Target) ? null : request.Target,
            Platform = string.IsNullOrEmpty(request.Platform) ? null : request.Platform,
            NoCache = request.NoCache ? true : null,
            Pull = request.Pull ? "1" : null,
            Remove = true,
            ForceRemove = true,
            Version = "1",
        };

        var reader = new BuildOutputReader(sink, request.Ledger);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: PipePauseBytes, resumeWriterThreshold: PipePauseBytes / 2, minimumSegmentSize: 64 * 1024, useSynchronizationContext: false));
        using var streaming = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Exception? contextFailure = null;
        Task writer = Task.Factory.StartNew(
            () =>
            {
                Exception? failure = null;
                try
                {
                    using Stream tar = pipe.Writer.AsStream(leaveOpen: true);
                    BuildContextWriter.Write(context, tar, outside, streaming.Token);
                }
                catch (Exception ex)
                {
                    failure = ex;
                    if (ex is not OperationCanceledException)
                    {
                        Volatile.Write(ref contextFailure, ex);
                    }
                }

                pipe.Writer.Complete(failure);
            },
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        try
        {
            await using Stream body = pipe.Reader.AsStream();
            await client.Images.BuildImageFromDockerfileAsync(parameters, body, authConfigs: null, headers: null, reader, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The engine stops a build whose client went away and removes the step's container
            // itself, a moment later; make sure it is gone before the caller returns.
            await RemoveIntermediateContainersAsync(reader).ConfigureAwait(false);
            throw;
        }
        catch (DockerApiException ex)
        {
            throw new ImageBuildException(ImageBuildFailure.BuildFailed, "The Docker engine refused the build: " + EngineMessage(ex), reader.CurrentStep, reader.StepOutput, ex);
        }
        catch (Exception ex) when (ex is not ImageBuildException && !cancellationToken.IsCancellationRequested && Volatile.Read(ref contextFailure) is BuildContextException cause)
        {
            throw new ImageBuildException(ImageBuildFailure.ContextUnreadable, cause.Message, innerException: cause);
        }
        catch (Exception ex) when (ex is not ImageBuildException && !cancellationToken.IsCancellationRequested && Volatile.Read(ref contextFailure) is { } cause)
        {
            throw new ImageBuildException(ImageBuildFailure.ContextUnreadable, "Reading the build context failed: " + cause.Message + " Make sure no file is removed or locked while the build runs.", innerException: cause);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            throw new ImageBuildException(ImageBuildFailure.BuildFailed, $"The connection to the Docker engine at {Endpoint} broke during the build: {ex.Message}", reader.CurrentStep, reader.StepOutput, ex);
        }
        finally
        {
            streaming.Cancel();
            pipe.Writer.CancelPendingFlush();
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }

        reader.Flush();
        if (reader.Error is not null)
        {
            await RemoveIntermediateContainersAsync(reader).ConfigureAwait(false);
            string step = reader.CurrentStep ?? "the build";
            throw new ImageBuildException(ImageBuildFailure.BuildFailed, $"{step} failed: {reader.Error}", reader.CurrentStep, reader.StepOutput);
        }

        if (reader.ImageId is null)
        {
            throw new ImageBuildException(ImageBuildFailure.BuildFailed, "The Docker engine finished the build without reporting an image id.", reader.CurrentStep, reader.StepOutput);
        }

        return new DockerBuildOutcome(reader.ImageId, request.Tags, context.TotalBytes, context.FileCount);
    }

    /// <summary>
    /// Waits (within the removal time limit) for the engine to remove the intermediate containers of
    /// a stopped build, and removes what is still there after a short grace.
    /// </summary>
    private async Task RemoveIntermediateContainersAsync(BuildOutputReader reader)
    {
        using var limit = new CancellationTokenSource(CleanupLedger.RemovalTimeout);
        TimeSpan grace = TimeSpan.FromSeconds(2);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (string container in reader.IntermediateContainers)
        {
            try
            {
                while (true)
                {
                    await client.Containers.InspectContainerAsync(container, limit.Token).ConfigureAwait(false);
                    if (clock.Elapsed >= grace)
                    {
                        try
                        {
                            await client.Containers.RemoveContainerAsync(container, new ContainerRemoveParameters { Force = true }, limit.Token).ConfigureAwait(false);
                            reader.Removed(container);
                            break;
                        }
                        catch (DockerApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.Conflict)
                        {
                            // The engine is removing it already (its own cleanup of the stopped
                            // build): it counts as removed once the engine no longer knows it.
                        }
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(100), limit.Token).ConfigureAwait(false);
                }
            }
            catch (DockerContainerNotFoundException)
            {
                reader.Removed(container);
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                // Left in the ledger: the cmdlet names it.
            }
        }
    }

    /// <summary>
    /// Pushes each tag with <paramref name="credential"/>, else the Docker config's credentials for
    /// its registry (<paramref name="dockerConfigPath"/>, or DOCKER_CONFIG, or ~/.docker); returns
    /// the digest the registry gave for each.
    /// </summary>
    public Task<IReadOnlyList<PushedTag>> PushAsync(IReadOnlyList<string> tags, NetworkCredential? credential, Action<BuildEvent> sink, CancellationToken cancellationToken, string? dockerConfigPath = null) =>
        ImagePusher.PushAsync(client, tags, credential, dockerConfigPath, sink, cancellationToken);

    public void Dispose() => client.Dispose();

    internal static string FormatBytes(long bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        double value = bytes;
        int unit = 0;
        while (value >= 1024 && unit < units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0 ? bytes + " B" : value.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + " " + units[unit];
    }

    internal static string EngineMessage(DockerApiException ex)
    {
        string body = ex.ResponseBody ?? string.Empty;
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var message))
            {
                return message.GetString() ?? body;
            }
        }
        catch (System.Text.Json.JsonException)
        {
        }

        return string.IsNullOrWhiteSpace(body) ? ex.StatusCode.ToString() : body.Trim();
    }
}
