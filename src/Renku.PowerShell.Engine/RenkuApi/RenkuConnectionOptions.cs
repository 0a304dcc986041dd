using Renku.PowerShell.Http;

namespace Renku.PowerShell.RenkuApi;

/// <summary>How a connection to Renku sends its credentials and how long it waits; kept by the connection for every later request.</summary>
public sealed class RenkuConnectionOptions
{
    /// <summary>The switch that opts in to plain HTTP, as messages name it.</summary>
    public const string PlainHttpOptIn = "-AllowUnencryptedAuthentication";

    /// <summary>Send credentials over plain HTTP to hosts that are not loopback (opt-in, as Invoke-RestMethod's switch of that name).</summary>
    public bool AllowUnencryptedAuthentication { get; init; }

    /// <summary>
    /// Hosts besides the identity provider's own that its discovery document may name for the
    /// token and device-authorization endpoints.
    /// </summary>
    public IReadOnlyCollection<string> TrustedAuthorityHosts { get; init; } = Array.Empty<string>();

    public HttpTimeouts Timeouts { get; init; } = HttpTimeouts.Default;

    /// <summary>Replaces the HTTP handler (tests). The connection owns and disposes it.</summary>
    internal HttpMessageHandler? Handler { get; init; }
}
