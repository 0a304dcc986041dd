using Renku.PowerShell.Auth;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell;

/// <summary>
/// A connection to one Renku deployment as one user. The token lives inside and is never exposed
/// by a property, ToString or an exception.
/// </summary>
public sealed class RenkuConnection : IDisposable
{
    internal RenkuConnection(Uri uri, Uri apiUri, Uri? authorityUri, string? clientId, HttpClient http, TokenSource tokens, RenkuConnectionOptions options)
    {
        Options = options;
        Uri = uri;
        ApiUri = apiUri;
        AuthorityUri = authorityUri;
        ClientId = clientId;
        Http = http;
        Tokens = tokens;
        ConnectedAt = DateTimeOffset.UtcNow;
    }

    /// <summary>The Renku deployment (<c>https://renku.example.org/</c>).</summary>
    public Uri Uri { get; }

    /// <summary>The data API base (<c>https://renku.example.org/api/data/</c>).</summary>
    public Uri ApiUri { get; }

    /// <summary>The Keycloak realm tokens come from; null for a token handed in.</summary>
    public Uri? AuthorityUri { get; }

    public string? ClientId { get; }

    public string UserName { get; internal set; } = string.Empty;

    public string UserId { get; internal set; } = string.Empty;

    public string? Email { get; internal set; }

    /// <summary>True when the user holds Renku's admin role (<c>renku-admin</c>).</summary>
    public bool IsAdmin { get; internal set; }

    /// <summary>The renku-data-services version (<c>GET /version</c>).</summary>
    public string? DataServiceVersion { get; internal set; }

    /// <summary>AccessToken, DeviceCode or ClientCredential.</summary>
    public string AuthenticationMethod => Tokens.Method;

    /// <summary>When the current access token expires (renewed automatically when possible).</summary>
    public DateTimeOffset? TokenExpiry => Tokens.Expiry;

    /// <summary>True when an expiring token is renewed without the user.</summary>
    public bool CanRenewToken => Tokens.CanRenew;

    public DateTimeOffset ConnectedAt { get; }

    /// <summary>True when the user opted in to sending credentials over plain HTTP (-AllowUnencryptedAuthentication).</summary>
    public bool AllowUnencryptedAuthentication => Options.AllowUnencryptedAuthentication;

    /// <summary>The most one request to Renku (with its token renewal) may take (-Timeout).</summary>
    public TimeSpan Timeout => Options.Timeouts.Operation;

    /// <summary>False after Disconnect-RenkuInstance.</summary>
    public bool IsOpen { get; private set; } = true;

    internal HttpClient Http { get; }

    internal TokenSource Tokens { get; }

    /// <summary>How credentials travel and how long requests wait, for every request of this connection.</summary>
    internal RenkuConnectionOptions Options { get; }

    public void Dispose()
    {
        if (IsOpen)
        {
            IsOpen = false;
            Http.Dispose();
        }
    }

    public override string ToString() => $"{UserName}@{Uri}";
}
