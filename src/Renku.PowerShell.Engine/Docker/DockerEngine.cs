using Docker.DotNet;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Opens clients to a Docker engine (the host given, else DOCKER_HOST, else the platform's default
/// socket or pipe; see <see cref="DockerHostResolver"/>), speaking an API version the engine
/// accepts: the engine's own (asked with an unversioned request every engine answers), capped at
/// the newest version this module has been checked against. Every Docker feature of the module
/// (reading images, session checks, builds) connects here.
/// </summary>
internal static class DockerEngine
{
    /// <summary>Docker 19.03; older engines lack what builds need (platform, target, aux image ids).</summary>
    internal static readonly Version MinimumApiVersion = new(1, 40);

    internal static readonly Version MaximumApiVersion = new(1, 47);

    /// <inheritdoc cref="ConnectAsync(Uri, TimeSpan?, CancellationToken)"/>
    internal static Task<DockerClient> ConnectAsync(string? host, TimeSpan? timeout, CancellationToken cancellationToken) =>
        ConnectAsync(DockerHostResolver.Resolve(host), timeout, cancellationToken);

    /// <summary>
    /// Connects to <paramref name="endpoint"/>. Throws <see cref="DockerEngineException"/> (with
    /// <see cref="DockerEngineException.Unreachable"/>) when the engine does not answer or is too old.
    /// </summary>
    /// <param name="timeout">Per-request timeout; null keeps the client's default, infinite suits long builds.</param>
    internal static async Task<DockerClient> ConnectAsync(Uri endpoint, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        Version engineVersion;
        using (DockerClient probe = new DockerClientBuilder().WithEndpoint(endpoint).Build())
        {
            try
            {
                var version = await probe.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                if (!Version.TryParse(version.APIVersion, out Version? parsed))
                {
                    throw new DockerEngineException($"The Docker engine at {endpoint} reported an unreadable API version '{version.APIVersion}'.") { Unreachable = true };
                }

                engineVersion = parsed;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException or DockerApiException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new DockerEngineException($"Cannot reach the Docker engine at {endpoint}: {ex.Message}. Start the engine, or point -DockerHost (or DOCKER_HOST) at a running one.", ex) { Unreachable = true };
            }
        }

        if (engineVersion < MinimumApiVersion)
        {
            throw new DockerEngineException($"The Docker engine at {endpoint} speaks API {engineVersion}; this module needs {MinimumApiVersion} (Docker 19.03) or later. Upgrade the engine.") { Unreachable = true };
        }

        Version use = engineVersion < MaximumApiVersion ? engineVersion : MaximumApiVersion;
        DockerClientBuilder builder = new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(use);
        return (timeout is { } limit ? builder.WithTimeout(limit) : builder).Build();
    }

    /// <summary>The host that ports published or bound by containers are reached on.</summary>
    internal static string ReachableHost(string? host)
    {
        Uri endpoint = DockerHostResolver.Resolve(host);
        return endpoint.Scheme is "http" or "https" ? endpoint.Host : "127.0.0.1";
    }
}
