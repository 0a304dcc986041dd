using Docker.DotNet;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Opens a client to a Docker engine: the host given, else DOCKER_HOST, else the platform's
/// default socket or pipe. Speaks API 1.41 so that engines from 20.10 on accept it.
/// </summary>
internal static class DockerEngine
{
    /// <summary>The API version requested: Docker 20.10's, which newer engines still serve.</summary>
    internal static readonly Version ApiVersion = new(1, 41);

    internal static Uri ResolveEndpoint(string? host)
    {
        string? value = string.IsNullOrWhiteSpace(host) ? Environment.GetEnvironmentVariable("DOCKER_HOST") : host;
        if (string.IsNullOrWhiteSpace(value))
        {
            return OperatingSystem.IsWindows() ? new Uri("npipe://./pipe/docker_engine") : new Uri("unix:///var/run/docker.sock");
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("unix" or "npipe" or "tcp" or "http" or "https"))
        {
            throw new DockerEngineException($"The Docker host '{value}' is not a unix://, npipe:// or tcp:// address.");
        }

        return uri;
    }

    internal static DockerClient Connect(string? host) =>
        new DockerClientBuilder().WithEndpoint(ResolveEndpoint(host)).WithApiVersion(ApiVersion).Build();

    /// <summary>The host that ports published or bound by containers are reached on.</summary>
    internal static string ReachableHost(string? host)
    {
        Uri endpoint = ResolveEndpoint(host);
        return endpoint.Scheme is "tcp" or "http" or "https" ? endpoint.Host : "127.0.0.1";
    }
}
