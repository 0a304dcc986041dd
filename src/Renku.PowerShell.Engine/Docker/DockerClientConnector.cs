using Docker.DotNet;

using Renku.PowerShell.Builds;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Opens a Docker.DotNet client that speaks an API version the engine accepts: asks the engine
/// (an unversioned request every engine answers) for its highest version and uses that, capped at
/// the newest version this module has been checked against.
/// </summary>
internal static class DockerClientConnector
{
    /// <summary>Docker 19.03; older engines lack what builds need (platform, target, aux image ids).</summary>
    internal static readonly Version MinimumApiVersion = new(1, 40);

    internal static readonly Version MaximumApiVersion = new(1, 47);

    public static async Task<DockerClient> ConnectAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        Version engineVersion;
        using (DockerClient probe = new DockerClientBuilder().WithEndpoint(endpoint).Build())
        {
            try
            {
                var version = await probe.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
                if (!Version.TryParse(version.APIVersion, out Version? parsed))
                {
                    throw new ImageBuildException(ImageBuildFailure.EngineUnavailable, $"The Docker engine at {endpoint} reported an unreadable API version '{version.APIVersion}'.");
                }

                engineVersion = parsed;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or System.Net.Sockets.SocketException or TimeoutException or DockerApiException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
            {
                throw new ImageBuildException(ImageBuildFailure.EngineUnavailable, $"Cannot reach the Docker engine at {endpoint}: {ex.Message}. Start the engine, or point -DockerHost (or DOCKER_HOST) at a running one.", innerException: ex);
            }
        }

        if (engineVersion < MinimumApiVersion)
        {
            throw new ImageBuildException(ImageBuildFailure.EngineUnavailable, $"The Docker engine at {endpoint} speaks API {engineVersion}; builds need {MinimumApiVersion} (Docker 19.03) or later. Upgrade the engine.");
        }

        Version use = engineVersion < MaximumApiVersion ? engineVersion : MaximumApiVersion;
        return new DockerClientBuilder().WithEndpoint(endpoint).WithApiVersion(use).WithTimeout(System.Threading.Timeout.InfiniteTimeSpan).Build();
    }
}
