namespace Renku.PowerShell.Docker;

/// <summary>
/// Which Docker engine to talk to: the address given, else <c>DOCKER_HOST</c>, else the platform's
/// default socket (<c>unix:///var/run/docker.sock</c>) or pipe (<c>npipe://./pipe/docker_engine</c>).
/// </summary>
public static class DockerHostResolver
{
    public const string UnixDefault = "unix:///var/run/docker.sock";
    public const string WindowsDefault = "npipe://./pipe/docker_engine";

    public static Uri Resolve(string? explicitHost) => Resolve(explicitHost, Environment.GetEnvironmentVariable("DOCKER_HOST"), OperatingSystem.IsWindows());

    internal static Uri Resolve(string? explicitHost, string? environmentHost, bool windows)
    {
        string address = !string.IsNullOrWhiteSpace(explicitHost) ? explicitHost.Trim()
            : !string.IsNullOrWhiteSpace(environmentHost) ? environmentHost.Trim()
            : windows ? WindowsDefault : UnixDefault;

        if (!Uri.TryCreate(address, UriKind.Absolute, out Uri? uri))
        {
            throw new DockerEngineException($"'{address}' is not a Docker engine address. Use unix:///path/docker.sock, npipe://./pipe/name or tcp://host:port.") { InvalidAddress = true };
        }

        switch (uri.Scheme.ToLowerInvariant())
        {
            case "unix":
            case "npipe":
            case "http":
                return uri;
            case "tcp":
                // The engine's plain-TCP address; TLS (DOCKER_TLS_VERIFY) is not supported here.
                return new UriBuilder(uri) { Scheme = "http" }.Uri;
            default:
                throw new DockerEngineException($"Docker engine addresses with the scheme '{uri.Scheme}' are not supported. Use unix://, npipe:// or tcp:// (for ssh://, forward the socket with 'ssh -L' and use unix://).") { InvalidAddress = true };
        }
    }
}
