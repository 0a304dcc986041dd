using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Renku.PowerShell.TestServers;

/// <summary>
/// A Keycloak-like realm <c>Renku</c>: discovery, the device authorization grant, client credentials
/// and refresh tokens, and HS256 JWTs carrying <c>realm_access.roles</c>.
/// </summary>
public sealed class FakeKeycloak
{
    public const string RealmPath = "/auth/realms/Renku";
    public const string PublicClient = "renku-cli";
    public const string AdminClient = "renku-runbook";
    public const string AdminClientSecret = "runbook-secret-5f1c";
    public const string ReaderClient = "renku-reader";
    public const string ReaderClientSecret = "reader-secret-77aa";

    private readonly byte[] signingKey = RandomNumberGenerator.GetBytes(32);
    private readonly ConcurrentDictionary<string, DeviceGrant> devices = new();
    private readonly ConcurrentDictionary<string, (FakeUser User, string Client, DateTimeOffset Expires)> refreshTokens = new();
    private readonly ConcurrentDictionary<string, int> grants = new();
    private long revokedBeforeTicks;

    public FakeKeycloak()
    {
        Users["admin"] = new FakeUser("0f6a1c2e-5b7d-4e11-9a0c-1d2e3f405161", "admin", "admin@example.org", "Ada", "Admin", IsAdmin: true);
        Users["jane"] = new FakeUser("7c1b9e20-3a44-4f0e-8d21-6b5a4c3d2e10", "jane", "jane@example.org", "Jane", "Doe", IsAdmin: false);
        Users["service-account-" + AdminClient] = new FakeUser("3e9d7a10-2b1c-4d5e-8f60-718293a4b5c6", "service-account-" + AdminClient, null, null, null, IsAdmin: true);
        Users["service-account-" + ReaderClient] = new FakeUser("4a8b6c20-1d2e-4f30-9a41-526374859607", "service-account-" + ReaderClient, null, null, null, IsAdmin: false);
    }

    /// <summary>Base address of the host, set when the server starts.</summary>
    public Uri BaseUri { get; internal set; } = new("http://127.0.0.1/");

    public string Issuer => new Uri(BaseUri, RealmPath.TrimStart('/')).AbsoluteUri;

    public ConcurrentDictionary<string, FakeUser> Users { get; } = new(StringComparer.Ordinal);

    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan DeviceCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The polling interval (whole seconds) announced to clients; tests use 0 for speed.</summary>
    public int DeviceInterval { get; set; } = 5;

    /// <summary>How many polls of the next device grant answer slow_down before the normal answer.</summary>
    public int SlowDownPolls { get; set; }

    /// <summary>How many token requests each grant type saw.</summary>
    public IReadOnlyDictionary<string, int> GrantCounts => grants;

    public int DevicePolls => grants.TryGetValue("poll", out int n) ? n : 0;

    public IReadOnlyList<string> PendingUserCodes => devices.Values.Where(d => d.State == DeviceState.Pending).Select(d => d.UserCode).ToList();

    public void Approve(string userCode, string userName) => Decide(userCode, DeviceState.Approved, Users[userName]);

    public void Deny(string userCode) => Decide(userCode, DeviceState.Denied, null);

    /// <summary>Signs a token for <paramref name="userName"/> as if the user had logged in (for -AccessToken tests).</summary>
    public string IssueAccessToken(string userName, TimeSpan? lifetime = null, string audience = PublicClient) => Sign(Users[userName], PublicClient, lifetime ?? AccessTokenLifetime, audience);

    /// <summary>Every access token issued before now stops validating (as after a key rotation or a logout).</summary>
    public void RevokeAccessTokens() => Interlocked.Exchange(ref revokedBeforeTicks, DateTimeOffset.UtcNow.AddMilliseconds(1).UtcTicks);

    public void RevokeRefreshTokens() => refreshTokens.Clear();

    /// <summary>The user a bearer token belongs to, or null when it is not valid (bad signature, expired, revoked, wrong audience).</summary>
    public FakeUser? Validate(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        byte[] expected = HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        byte[] actual;
        try
        {
            actual = FromBase64Url(parts[2]);
        }
        catch (FormatException)
        {
            return null;
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return null;
        }

        using JsonDocument payload = JsonDocument.Parse(FromBase64Url(parts[1]));
        JsonElement root = payload.RootElement;
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (root.GetProperty("exp").GetInt64() <= now)
        {
            return null;
        }

        long issuedTicks = root.GetProperty("iat_ticks").GetInt64();
        if (issuedTicks < Interlocked.Read(ref revokedBeforeTicks))
        {
            return null;
        }

        var audiences = root.GetProperty("aud").EnumerateArray().Select(a => a.GetString()).ToHashSet();
        if (!audiences.Overlaps(new[] { "renku", "renku-ui", "renku-cli", "swagger" }))
        {
            return null;
        }

        return Users.Values.FirstOrDefault(u => u.Id == root.GetProperty("sub").GetString());
    }

    internal void Map(WebApplication app)
    {
        app.MapGet(RealmPath + "/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Issuer,
            ["authorization_endpoint"] = Issuer + "/protocol/openid-connect/auth",
            ["token_endpoint"] = Issuer + "/protocol/openid-connect/token",
            ["device_authorization_endpoint"] = Issuer + "/protocol/openid-connect/auth/device",
            ["jwks_uri"] = Issuer + "/protocol/openid-connect/certs",
            ["grant_types_supported"] = new[] { "authorization_code", "refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:device_code" },
            ["response_types_supported"] = new[] { "code" },
            ["subject_types_supported"] = new[] { "public" },
            ["id_token_signing_alg_values_supported"] = new[] { "HS256" },
        }));

        app.MapPost(RealmPath + "/protocol/openid-connect/auth/device", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            string clientId = form["client_id"].ToString();
            if (clientId != PublicClient)
            {
                return OAuthError(401, "invalid_client", "Invalid client or Invalid client credentials");
            }

            var grant = new DeviceGrant(Token(24), NewUserCode(), DateTimeOffset.UtcNow + DeviceCodeLifetime, SlowDownPolls);
            devices[grant.DeviceCode] = grant;
            string verification = Issuer + "/device";
            return Results.Json(new Dictionary<string, object>
            {
                ["device_code"] = grant.DeviceCode,
                ["user_code"] = grant.UserCode,
                ["verification_uri"] = verification,
                ["verification_uri_complete"] = verification + "?user_code=" + grant.UserCode,
                ["expires_in"] = (int)DeviceCodeLifetime.TotalSeconds,
                ["interval"] = DeviceInterval,
            });
        });

        app.MapPost(RealmPath + "/protocol/openid-connect/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync().ConfigureAwait(false);
            string grantType = form["grant_type"].ToString();
            (string? clientId, string? secret) = ClientOf(context, form);
            switch (grantType)
            {
                case "urn:ietf:params:oauth:grant-type:device_code":
                    {
                        Count("device_code");
                        Count("poll");
                        if (!devices.TryGetValue(form["device_code"].ToString(), out DeviceGrant? grant) || clientId != PublicClient)
                        {
                            return OAuthError(400, "invalid_grant", "Device code not valid");
                        }

                        if (grant.SlowDownsLeft > 0)
                        {
                            grant.SlowDownsLeft--;
                            return OAuthError(400, "slow_down", "Slow down");
                        }

                        if (DateTimeOffset.UtcNow > grant.Expires)
                        {
                            devices.TryRemove(grant.DeviceCode, out _);
                            return OAuthError(400, "expired_token", "Device code is expired");
                        }

                        switch (grant.State)
                        {
                            case DeviceState.Denied:
                                devices.TryRemove(grant.DeviceCode, out _);
                                return OAuthError(400, "access_denied", "The end user denied the authorization request");
                            case DeviceState.Approved:
                                devices.TryRemove(grant.DeviceCode, out _);
                                return TokenAnswer(grant.User!, PublicClient, withRefresh: true);
                            default:
                                return OAuthError(400, "authorization_pending", "The authorization request is still pending");
                        }
                    }

                case "client_credentials":
                    {
                        Count("client_credentials");
                        FakeUser? account = clientId switch
                        {
                            AdminClient when secret == AdminClientSecret => Users["service-account-" + AdminClient],
                            ReaderClient when secret == ReaderClientSecret => Users["service-account-" + ReaderClient],
                            _ => null,
                        };
                        return account is null
                            ? OAuthError(401, "unauthorized_client", "Invalid client or Invalid client credentials")
                            : TokenAnswer(account, clientId!, withRefresh: false);
                    }

                case "refresh_token":
                    {
                        Count("refresh_token");
                        string presented = form["refresh_token"].ToString();
                        if (!refreshTokens.TryRemove(presented, out var held) || held.Expires < DateTimeOffset.UtcNow || held.Client != clientId)
                        {
                            return OAuthError(400, "invalid_grant", "Invalid refresh token");
                        }

                        return TokenAnswer(held.User, held.Client, withRefresh: true);
                    }

                default:
                    return OAuthError(400, "unsupported_grant_type", "Unsupported grant_type");
            }
        });
    }

    private static (string? Client, string? Secret) ClientOf(HttpContext context, IFormCollection form)
    {
        string header = context.Request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            string pair = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            int colon = pair.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                return (Uri.UnescapeDataString(pair[..colon]), Uri.UnescapeDataString(pair[(colon + 1)..]));
            }
        }

        string? secret = form.TryGetValue("client_secret", out var s) ? s.ToString() : null;
        return (form["client_id"].ToString(), secret);
    }

    private IResult TokenAnswer(FakeUser user, string client, bool withRefresh)
    {
        var answer = new Dictionary<string, object>
        {
            ["access_token"] = Sign(user, client, AccessTokenLifetime, client),
            ["expires_in"] = (int)Math.Max(1, AccessTokenLifetime.TotalSeconds),
            ["token_type"] = "Bearer",
            ["scope"] = "openid profile email",
            ["not-before-policy"] = 0,
        };
        if (withRefresh)
        {
            string refresh = Token(32);
            refreshTokens[refresh] = (user, client, DateTimeOffset.UtcNow.AddHours(24));
            answer["refresh_token"] = refresh;
            answer["refresh_expires_in"] = 86400;
        }
        else
        {
            answer["refresh_expires_in"] = 0;
        }

        return Results.Json(answer);
    }

    private string Sign(FakeUser user, string client, TimeSpan lifetime, string audience)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var payload = new JsonObject
        {
            ["exp"] = now.Add(lifetime).ToUnixTimeSeconds(),
            ["iat"] = now.ToUnixTimeSeconds(),
            ["iat_ticks"] = now.UtcTicks,
            ["jti"] = Guid.NewGuid().ToString(),
            ["iss"] = Issuer,
            ["aud"] = new JsonArray("renku", audience),
            ["sub"] = user.Id,
            ["typ"] = "Bearer",
            ["azp"] = client,
            ["preferred_username"] = user.UserName,
            ["realm_access"] = new JsonObject { ["roles"] = new JsonArray(user.Roles.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray()) },
        };
        if (user.Email is not null)
        {
            payload["email"] = user.Email;
        }

        string head = Base64Url(Encoding.UTF8.GetBytes("{\"alg\":\"HS256\",\"typ\":\"JWT\"}"));
        string body = Base64Url(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        string signature = Base64Url(HMACSHA256.HashData(signingKey, Encoding.ASCII.GetBytes(head + "." + body)));
        return head + "." + body + "." + signature;
    }

    private void Decide(string userCode, DeviceState state, FakeUser? user)
    {
        DeviceGrant grant = devices.Values.Single(d => d.UserCode == userCode);
        grant.User = user;
        grant.State = state;
    }

    private void Count(string grant) => grants.AddOrUpdate(grant, 1, (_, n) => n + 1);

    private static IResult OAuthError(int status, string error, string description) =>
        Results.Json(new Dictionary<string, string> { ["error"] = error, ["error_description"] = description }, statusCode: status);

    private static string NewUserCode()
    {
        const string letters = "BCDFGHJKLMNPQRSTVWXZ";
        var chars = Enumerable.Range(0, 8).Select(_ => letters[RandomNumberGenerator.GetInt32(letters.Length)]).ToArray();
        return new string(chars, 0, 4) + "-" + new string(chars, 4, 4);
    }

    private static string Token(int bytes) => Base64Url(RandomNumberGenerator.GetBytes(bytes));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static byte[] FromBase64Url(string text)
    {
        string padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded.PadRight(padded.Length + ((4 - (padded.Length % 4)) % 4), '='));
    }

    private enum DeviceState
    {
        Pending,
        Approved,
        Denied,
    }

    private sealed class DeviceGrant
    {
        public DeviceGrant(string deviceCode, string userCode, DateTimeOffset expires, int slowDowns)
        {
            DeviceCode = deviceCode;
            UserCode = userCode;
            Expires = expires;
            SlowDownsLeft = slowDowns;
        }

        public string DeviceCode { get; }

        public string UserCode { get; }

        public DateTimeOffset Expires { get; }

        public int SlowDownsLeft { get; set; }

        public DeviceState State { get; set; }

        public FakeUser? User { get; set; }
    }
}
