using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

using Renku.PowerShell.Http;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Auth;

/// <summary>
/// The few OAuth 2.0 / OpenID Connect calls the module makes against Keycloak: discovery, the device
/// authorization grant (RFC 8628), client credentials and refresh. Error messages name the OAuth
/// error code, never a token or a secret. A secret, device code or refresh token is only posted
/// to an endpoint on the authority's own host (or one the user trusts by name), over HTTPS unless
/// loopback or opted in: a discovery document cannot send it elsewhere.
/// </summary>
internal sealed class OidcClient
{
    /// <summary>RFC 8628 3.5: every slow_down adds five seconds to the polling interval.</summary>
    internal static readonly TimeSpan SlowDownStep = TimeSpan.FromSeconds(5);

    /// <summary>Polling never runs faster than this, whatever the server says.</summary>
    internal static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(200);

    private const int MaxBodyBytes = 1024 * 1024;

    private readonly HttpClient http;
    private readonly Uri authority;
    private readonly string clientId;
    private readonly string? clientSecret;
    private readonly RenkuConnectionOptions options;
    private readonly Action<string>? log;
    private OidcEndpoints? endpoints;

    public OidcClient(HttpClient http, Uri authority, string clientId, string? clientSecret, RenkuConnectionOptions options, Action<string>? log)
    {
        this.http = http;
        this.authority = authority;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.options = options;
        this.log = log;
    }

    public Uri Authority => authority;

    public string ClientId => clientId;

    public async Task<OidcEndpoints> DiscoverAsync(CancellationToken cancellationToken)
    {
        if (endpoints is not null)
        {
            return endpoints;
        }

        // Nothing secret goes to discovery, but whatever follows goes to the authority's host: refuse before the first request.
        CredentialTransport.Require(authority, options.AllowUnencryptedAuthentication, CredentialName, RenkuConnectionOptions.PlainHttpOptIn);
        var discovery = new Uri(authority.AbsoluteUri.TrimEnd('/') + "/.well-known/openid-configuration");
        log?.Invoke($"GET {discovery}");
        using JsonDocument document = await TimedHttp.WithinAsync(options.Timeouts, "OpenID Connect discovery", async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, discovery);
            using HttpResponseMessage response = await TimedHttp.SendAsync(http, request, options.Timeouts, "OpenID Connect discovery", ct).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new OAuthException("discovery_failed", null, $"OpenID Connect discovery at {discovery} answered {(int)response.StatusCode} {response.ReasonPhrase}. Check -Uri, or pass the Keycloak realm with -AuthorityUri.");
            }

            return await ReadJsonAsync(response, "OpenID Connect discovery", ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new OAuthException("invalid_response", null, $"The OpenID Connect discovery document at {discovery} is not a JSON object.");
        }

        string issuer = root.TryGetProperty("issuer", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString()! : string.Empty;
        Uri tokenEndpoint = RequireUri(root, "token_endpoint", discovery);
        Uri? device = root.TryGetProperty("device_authorization_endpoint", out var d) && d.ValueKind == JsonValueKind.String ? RequireUri(root, "device_authorization_endpoint", discovery) : null;
        endpoints = new OidcEndpoints(issuer, tokenEndpoint, device);
        return endpoints;
    }

    public async Task<DeviceAuthorization> StartDeviceAuthorizationAsync(CancellationToken cancellationToken)
    {
        OidcEndpoints found = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        if (found.DeviceAuthorizationEndpoint is null)
        {
            throw new OAuthException("unsupported_grant_type", null, $"The identity provider at {authority} does not offer the device authorization grant.");
        }

        // The device code will be polled at the token endpoint: both must pass before the user is asked to approve anything.
        RequireTrusted(found.DeviceAuthorizationEndpoint, "device_authorization_endpoint");
        RequireTrusted(found.TokenEndpoint, "token_endpoint");
        var form = new Dictionary<string, string> { ["client_id"] = clientId, ["scope"] = "openid offline_access" };
        log?.Invoke($"POST {found.DeviceAuthorizationEndpoint} (client_id={clientId})");
        (HttpStatusCode status, JsonDocument document) = await PostAsync(found.DeviceAuthorizationEndpoint, form, null, "the device authorization request", cancellationToken).ConfigureAwait(false);
        using JsonDocument owned = document;
        JsonElement root = document.RootElement;
        if ((int)status is < 200 or >= 300)
        {
            throw ErrorFrom(root, status, "The device authorization request");
        }

        string deviceCode = RequireString(root, "device_code");
        string userCode = RequireString(root, "user_code");
        Uri verification = RequireUri(root, "verification_uri", found.DeviceAuthorizationEndpoint);
        Uri? complete = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("verification_uri_complete", out var c) && c.ValueKind == JsonValueKind.String ? RequireUri(root, "verification_uri_complete", found.DeviceAuthorizationEndpoint) : null;
        TimeSpan expiresIn = TimeSpan.FromSeconds(Seconds(root, "expires_in") ?? 600);
        TimeSpan interval = TimeSpan.FromSeconds(Seconds(root, "interval") ?? 5);
        return new DeviceAuthorization(deviceCode, userCode, verification, complete, expiresIn, interval, DateTimeOffset.UtcNow);
    }

    /// <summary>Polls the token endpoint until the user approves, denies or the code expires.</summary>
    public async Task<TokenResponse> PollDeviceTokenAsync(DeviceAuthorization authorization, CancellationToken cancellationToken)
    {
        OidcEndpoints found = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan interval = authorization.Interval < MinimumInterval ? MinimumInterval : authorization.Interval;

        // Bounded by the code's lifetime (plus one interval for the final answer) and a poll count.
        for (int poll = 0; poll < 10_000; poll++)
        {
            if (DateTimeOffset.UtcNow > authorization.ExpiresAt + interval)
            {
                break;
            }

            await Task.Delay(interval, cancellationToken).ConfigureAwait(false);
            var form = new Dictionary<string, string>
            {
                ["grant_type"] = "urn:ietf:params:oauth:grant-type:device_code",
                ["device_code"] = authorization.DeviceCode,
                ["client_id"] = clientId,
            };
            try
            {
                return await RequestTokenAsync(found.TokenEndpoint, form, "device_code", cancellationToken).ConfigureAwait(false);
            }
            catch (OAuthException ex) when (ex.Error == "authorization_pending")
            {
            }
            catch (OAuthException ex) when (ex.Error == "slow_down")
            {
                interval += SlowDownStep;
                log?.Invoke($"The identity provider asked to slow down; polling every {interval.TotalSeconds:0.#} s.");
            }
        }

        throw new OAuthException("expired_token", null, $"The device code expired before it was approved (it was valid for {authorization.ExpiresIn.TotalMinutes:0.#} minutes). Run Connect-RenkuInstance -DeviceCode again and approve the code in time.");
    }

    public Task<TokenResponse> ClientCredentialsAsync(CancellationToken cancellationToken) =>
        TokenGrantAsync(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }, "client_credentials", cancellationToken);

    public Task<TokenResponse> RefreshAsync(string refreshToken, CancellationToken cancellationToken) =>
        TokenGrantAsync(new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, "refresh_token", cancellationToken);

    private async Task<TokenResponse> TokenGrantAsync(Dictionary<string, string> form, string grant, CancellationToken cancellationToken)
    {
        OidcEndpoints found = await DiscoverAsync(cancellationToken).ConfigureAwait(false);
        form["client_id"] = clientId;
        return await RequestTokenAsync(found.TokenEndpoint, form, grant, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TokenResponse> RequestTokenAsync(Uri tokenEndpoint, Dictionary<string, string> form, string grant, CancellationToken cancellationToken)
    {
        RequireTrusted(tokenEndpoint, "token_endpoint");
        AuthenticationHeaderValue? basic = null;
        if (clientSecret is not null)
        {
            // client_secret_basic: the secret travels in the header, form-encoded as RFC 6749 2.3.1 asks.
            string pair = Uri.EscapeDataString(clientId) + ":" + Uri.EscapeDataString(clientSecret);
            basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(pair)));
        }

        log?.Invoke($"POST {tokenEndpoint} (grant_type={grant}, client_id={clientId})");
        (HttpStatusCode status, JsonDocument document) = await PostAsync(tokenEndpoint, form, basic, $"the token request (grant {grant})", cancellationToken).ConfigureAwait(false);
        using JsonDocument owned = document;
        JsonElement root = document.RootElement;
        if ((int)status is < 200 or >= 300)
        {
            throw ErrorFrom(root, status, $"The token request (grant {grant})");
        }

        string access = RequireToken(root, "access_token");
        string? refresh = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("refresh_token", out var r) && r.ValueKind == JsonValueKind.String ? RequireToken(root, "refresh_token") : null;
        DateTimeOffset now = DateTimeOffset.UtcNow;
        DateTimeOffset? expires = Seconds(root, "expires_in") is int seconds ? now.AddSeconds(seconds) : JwtClaims.Expiry(access);
        DateTimeOffset? refreshExpires = Seconds(root, "refresh_expires_in") is int refreshSeconds && refreshSeconds > 0 ? now.AddSeconds(refreshSeconds) : null;
        log?.Invoke($"Token received (grant {grant}), valid until {expires:O}.");
        return new TokenResponse(access, refresh, expires, refreshExpires);
    }

    private static OAuthException ErrorFrom(JsonElement root, HttpStatusCode status, string what)
    {
        string error = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String ? e.GetString()! : "http_" + (int)status;
        string? description = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error_description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
        string advice = error switch
        {
            "access_denied" => " The request was denied at the identity provider.",
            "expired_token" => " The device code expired; start again.",
            "invalid_client" or "unauthorized_client" => " Check the client id and secret, and that the client may use this grant.",
            "invalid_grant" => " The grant (refresh token or code) is no longer valid; connect again.",
            _ => string.Empty,
        };
        return new OAuthException(error, description, $"{what} failed with '{error}'{(description is null ? string.Empty : ": " + description)}.{advice}");
    }

    /// <summary>The credential this client sends, as a refusal names it.</summary>
    private string CredentialName => clientSecret is null ? "the device code and tokens" : "the client secret";

    /// <summary>
    /// Refuses an endpoint a secret would be posted to unless it is on the authority's host (or a
    /// host the user trusts) and the transport rule allows it. Nothing has been sent when this throws.
    /// </summary>
    private void RequireTrusted(Uri endpoint, string name)
    {
        bool sameHost = string.Equals(endpoint.IdnHost, authority.IdnHost, StringComparison.OrdinalIgnoreCase);
        bool trusted = options.TrustedAuthorityHosts.Any(h => string.Equals(h.Trim().TrimEnd('.'), endpoint.IdnHost, StringComparison.OrdinalIgnoreCase));
        if (!sameHost && !trusted)
        {
            throw new OAuthException("untrusted_endpoint", null, $"The identity provider's discovery document names its {name} on another host ({endpoint.Host}) than the authority {authority.Host}; refused to send {CredentialName} there, and nothing was sent. If that host belongs to your identity provider, name it with -TrustedAuthorityHost.");
        }

        CredentialTransport.Require(endpoint, options.AllowUnencryptedAuthentication, CredentialName, RenkuConnectionOptions.PlainHttpOptIn);
    }

    /// <summary>Posts a form and reads the JSON answer, within the connection's time bounds.</summary>
    private Task<(HttpStatusCode Status, JsonDocument Document)> PostAsync(Uri endpoint, Dictionary<string, string> form, AuthenticationHeaderValue? authorization, string what, CancellationToken cancellationToken) =>
        TimedHttp.WithinAsync(options.Timeouts, what, async ct =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new FormUrlEncodedContent(form) };
            request.Headers.Authorization = authorization;
            using HttpResponseMessage response = await TimedHttp.SendAsync(http, request, options.Timeouts, what, ct).ConfigureAwait(false);
            return (response.StatusCode, await ReadJsonAsync(response, what, ct).ConfigureAwait(false));
        }, cancellationToken);

    private async Task<JsonDocument> ReadJsonAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        byte[] body = await TimedHttp.ReadBodyAsync(
            response,
            options.Timeouts,
            MaxBodyBytes,
            what,
            () => new OAuthException("invalid_response", null, $"The identity provider's answer is larger than {MaxBodyBytes} bytes."),
            cancellationToken).ConfigureAwait(false);
        try
        {
            return body.Length == 0 ? JsonDocument.Parse("{}") : JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new OAuthException("invalid_response", null, $"The identity provider answered {(int)response.StatusCode} with a body that is not JSON.");
        }
    }

    /// <summary>A token from the answer, refused when a header could not carry it (the answer is hostile or broken).</summary>
    private static string RequireToken(JsonElement root, string name)
    {
        string token = RequireString(root, name);
        int bad = TokenText.FirstInvalid(token);
        return bad < 0
            ? token
            : throw new OAuthException("invalid_response", null, $"The identity provider's '{name}' contains {TokenText.Describe(token, bad)}, which no bearer token has; it was not used.");
    }

    /// <summary>A whole number of seconds the answer gives, or null when it gives none (or something else: a hostile answer is not a crash).</summary>
    private static int? Seconds(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int seconds) ? seconds : null;

    private static string RequireString(JsonElement root, string name) =>
        root.ValueKind == JsonValueKind.Object && root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text
            ? text
            : throw new OAuthException("invalid_response", null, $"The identity provider's answer has no '{name}'.");

    private static Uri RequireUri(JsonElement root, string name, Uri baseUri) =>
        Uri.TryCreate(baseUri, RequireString(root, name), out Uri? uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : throw new OAuthException("invalid_response", null, $"The identity provider's '{name}' is not an http(s) URL.");
}
