using System.Net;
using System.Security;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Http;

namespace Renku.PowerShell.RenkuApi;

/// <summary>
/// Opens connections: finds the data API and the Keycloak realm from the deployment URL, obtains a
/// token, then asks <c>GET /user</c> who the token belongs to (an invalid token is silently
/// anonymous on read endpoints, so this is the only reliable check).
/// </summary>
public static class RenkuConnector
{
    public const string DefaultClientId = "renku-cli";
    public const string Realm = "Renku";

    /// <summary>The deployment root for a URL given as the root or as the data API base.</summary>
    public static Uri DeploymentUri(Uri uri)
    {
        if (!uri.IsAbsoluteUri || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{uri}' is not an http(s) URL; give the Renku deployment, e.g. https://renku.example.org.", nameof(uri));
        }

        string text = uri.GetLeftPart(UriPartial.Path).TrimEnd('/');
        if (text.EndsWith("/api/data", StringComparison.OrdinalIgnoreCase))
        {
            text = text[..^"/api/data".Length];
        }

        return new Uri(text + "/");
    }

    public static Uri DataApiUri(Uri deployment) => new(deployment, "api/data/");

    public static Uri DefaultAuthority(Uri deployment) => new(deployment, "auth/realms/" + Realm);

    /// <summary>
    /// The token as it will be sent: surrounding whitespace (a line break read from a file) is
    /// dropped; a blank token, or one with characters a header cannot carry, is refused.
    /// </summary>
    public static string CheckAccessToken(string token)
    {
        string trimmed = token.Trim();
        if (trimmed.Length == 0)
        {
            throw new InvalidAccessTokenException("The access token is empty or blank.");
        }

        int bad = TokenText.FirstInvalid(trimmed);
        if (bad >= 0)
        {
            throw new InvalidAccessTokenException($"The access token contains {TokenText.Describe(trimmed, bad)} at position {bad + 1} of {trimmed.Length}; a bearer token is one line of visible ASCII characters. Check how it was copied.");
        }

        return trimmed;
    }

    public static Task<RenkuConnection> ConnectWithAccessTokenAsync(Uri uri, SecureString accessToken, RenkuConnectionOptions? options, Action<string>? log, CancellationToken cancellationToken)
    {
        options ??= new RenkuConnectionOptions();
        string token = CheckAccessToken(new NetworkCredential(string.Empty, accessToken).Password);
        Uri deployment = DeploymentUri(uri);
        Uri api = DataApiUri(deployment);
        CredentialTransport.Require(api, options.AllowUnencryptedAuthentication, "the access token", RenkuConnectionOptions.PlainHttpOptIn);
        var connection = new RenkuConnection(deployment, api, null, null, NewHttpClient(options), new StaticTokenSource(token), options);
        return CompleteAsync(connection, log, cancellationToken);
    }

    public static async Task<RenkuConnection> ConnectWithClientCredentialAsync(Uri uri, Uri? authority, string clientId, SecureString clientSecret, RenkuConnectionOptions? options, Action<string>? log, CancellationToken cancellationToken)
    {
        options ??= new RenkuConnectionOptions();
        Uri deployment = DeploymentUri(uri);
        Uri realm = authority ?? DefaultAuthority(deployment);

        // The token this grant brings goes to the data API: refuse before the secret leaves.
        CredentialTransport.Require(DataApiUri(deployment), options.AllowUnencryptedAuthentication, "the access token", RenkuConnectionOptions.PlainHttpOptIn);
        HttpClient http = NewHttpClient(options);
        try
        {
            var oidc = new OidcClient(http, realm, clientId, new NetworkCredential(string.Empty, clientSecret).Password, options, log);
            TokenResponse tokens = await oidc.ClientCredentialsAsync(cancellationToken).ConfigureAwait(false);
            var connection = new RenkuConnection(deployment, DataApiUri(deployment), realm, clientId, http, new OAuthTokenSource(oidc, tokens, clientCredentials: true), options);
            return await CompleteAsync(connection, log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Starts the device authorization grant; show the result to the user, then call <see cref="CompleteDeviceCodeAsync"/>.</summary>
    public static async Task<DeviceAuthorization> StartDeviceCodeAsync(Uri uri, Uri? authority, string clientId, RenkuConnectionOptions? options, Action<string>? log, CancellationToken cancellationToken)
    {
        options ??= new RenkuConnectionOptions();
        Uri deployment = DeploymentUri(uri);
        Uri realm = authority ?? DefaultAuthority(deployment);

        // Refused before the user is asked to approve a code whose token could not be used.
        CredentialTransport.Require(DataApiUri(deployment), options.AllowUnencryptedAuthentication, "the access token", RenkuConnectionOptions.PlainHttpOptIn);
        HttpClient http = NewHttpClient(options);
        try
        {
            var oidc = new OidcClient(http, realm, clientId, null, options, log);
            DeviceAuthorization authorization = await oidc.StartDeviceAuthorizationAsync(cancellationToken).ConfigureAwait(false);
            authorization.State = new PendingDevice(deployment, oidc, http, options);
            return authorization;
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    /// <summary>Polls until the user approves (or denies, or the code expires), then connects.</summary>
    public static async Task<RenkuConnection> CompleteDeviceCodeAsync(DeviceAuthorization authorization, Action<string>? log, CancellationToken cancellationToken)
    {
        var pending = authorization.State as PendingDevice ?? throw new InvalidOperationException("The device authorization was not started by StartDeviceCodeAsync.");
        try
        {
            TokenResponse tokens = await pending.Oidc.PollDeviceTokenAsync(authorization, cancellationToken).ConfigureAwait(false);
            var connection = new RenkuConnection(pending.Deployment, DataApiUri(pending.Deployment), pending.Oidc.Authority, pending.Oidc.ClientId, pending.Http, new OAuthTokenSource(pending.Oidc, tokens, clientCredentials: false), pending.Options);
            return await CompleteAsync(connection, log, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            pending.Http.Dispose();
            throw;
        }
    }

    /// <summary>Releases a device authorization that will not be completed.</summary>
    public static void Abandon(DeviceAuthorization authorization)
    {
        if (authorization.State is PendingDevice pending)
        {
            pending.Http.Dispose();
        }
    }

    /// <summary>Asks GET /user again (the token may have expired or the user lost the admin role) and updates the connection.</summary>
    public static async Task<RenkuConnection> VerifyAsync(RenkuConnection connection, Action<string>? log, CancellationToken cancellationToken)
    {
        RenkuUser user = await new RenkuApiClient(connection, log).GetUserAsync(cancellationToken).ConfigureAwait(false);
        connection.UserName = user.UserName;
        connection.UserId = user.Id;
        connection.Email = user.Email;
        connection.IsAdmin = user.IsAdmin;
        return connection;
    }

    private static async Task<RenkuConnection> CompleteAsync(RenkuConnection connection, Action<string>? log, CancellationToken cancellationToken)
    {
        try
        {
            var client = new RenkuApiClient(connection, log);
            connection.DataServiceVersion = await client.GetVersionAsync(cancellationToken).ConfigureAwait(false);
            RenkuUser user = await client.GetUserAsync(cancellationToken).ConfigureAwait(false);
            connection.UserName = user.UserName;
            connection.UserId = user.Id;
            connection.Email = user.Email;
            connection.IsAdmin = user.IsAdmin;
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static HttpClient NewHttpClient(RenkuConnectionOptions options)
    {
        // No automatic redirects: a redirect must never carry the bearer token to another host.
        HttpMessageHandler handler = options.Handler ?? new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = options.Timeouts.Connect,
        };

        // Every request is bounded by the connection's timeouts (TimedHttp), not by one total.
        return new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    private sealed record PendingDevice(Uri Deployment, OidcClient Oidc, HttpClient Http, RenkuConnectionOptions Options);
}
