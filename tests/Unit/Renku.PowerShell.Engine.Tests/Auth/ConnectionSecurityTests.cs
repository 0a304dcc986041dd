using System.Net;
using System.Text;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Http;
using Renku.PowerShell.Registry;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Auth;

/// <summary>
/// Where credentials may go: never over plain HTTP to a host that is not loopback unless the user
/// opted in, and never to a token endpoint a discovery document puts on another host. Every
/// refusal happens before anything is sent.
/// </summary>
public sealed class ConnectionSecurityTests
{
    private static readonly Uri PlainRemote = new("http://renku.example.org/");

    [Theory]
    [InlineData("http://127.0.0.1:8080/", true)]
    [InlineData("http://127.0.0.2/", true)]
    [InlineData("http://localhost/", true)]
    [InlineData("http://LOCALHOST:1/", true)]
    [InlineData("http://[::1]:8080/", true)]
    [InlineData("https://renku.example.org/", true)]
    [InlineData("http://renku.example.org/", false)]
    [InlineData("http://10.0.0.1/", false)]
    [InlineData("http://127.0.0.1.nip.io/", false)]
    [InlineData("http://localhost.example.org/", false)]
    [InlineData("ftp://127.0.0.1/", false)]
    public void TheRuleAllowsHttpsAndLoopbackOnlyWithoutAnOptIn(string target, bool allowed)
    {
        Assert.Equal(allowed, CredentialTransport.Allows(new Uri(target), plainHttpAllowed: false));
        Assert.Equal(target.StartsWith("http", StringComparison.Ordinal), CredentialTransport.Allows(new Uri(target), plainHttpAllowed: true));
    }

    [Fact]
    public void TheRegistrySideAsksTheSameRuleWithItsOwnOptIn()
    {
        // -InsecureRegistry is the registry's opt-in: a named host may take credentials over plain HTTP, another may not.
        string[] insecure = { "auth.example.org" };
        var realm = new Uri("http://auth.example.org/token");
        Assert.True(CredentialTransport.Allows(realm, RegistryEndpoint.IsNamedInsecure(realm.Authority, insecure)));
        Assert.False(CredentialTransport.Allows(new Uri("http://other.example.org/token"), RegistryEndpoint.IsNamedInsecure("other.example.org", insecure)));
        Assert.True(RegistryEndpoint.AllowsPlainHttp("localhost:5000", Array.Empty<string>()));
    }

    [Fact]
    public async Task ARegistryWhoseTokenServiceIsPlainHttpElsewhereGetsNoCredentials()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.Answer(401, Array.Empty<byte>(), new Dictionary<string, string> { ["WWW-Authenticate"] = "Bearer realm=\"http://auth.example.org/token\",service=\"r\"" }));
        using var inspector = new Renku.PowerShell.Images.ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential("user", "pw-secret") });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.ResolveDigestAsync(ImageReference.Parse(registry.Host + "/team/app:1.0")));
        Assert.Equal(RegistryErrorKind.UnencryptedCredential, error.Kind);
        Assert.IsType<UnencryptedCredentialException>(error.InnerException);
        Assert.DoesNotContain("pw-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryCredentialTypeIsRefusedOverPlainHttpToARemoteHostAndNothingIsSent()
    {
        var handler = RecordingHandler.RenkuAdmin();
        var options = new RenkuConnectionOptions { Handler = handler };
        await Assert.ThrowsAsync<UnencryptedCredentialException>(() => RenkuConnector.ConnectWithAccessTokenAsync(PlainRemote, Secrets.Secure("token-123"), options, null, CancellationToken.None));
        await Assert.ThrowsAsync<UnencryptedCredentialException>(() => RenkuConnector.ConnectWithClientCredentialAsync(PlainRemote, null, "svc", Secrets.Secure("secret-123"), options, null, CancellationToken.None));
        await Assert.ThrowsAsync<UnencryptedCredentialException>(() => RenkuConnector.StartDeviceCodeAsync(PlainRemote, null, "renku-cli", options, null, CancellationToken.None));

        // An https deployment with a plain-HTTP identity provider elsewhere: the secret would travel in clear.
        await Assert.ThrowsAsync<UnencryptedCredentialException>(() => RenkuConnector.ConnectWithClientCredentialAsync(new Uri("https://renku.example.org/"), new Uri("http://keycloak.example.org/realms/Renku"), "svc", Secrets.Secure("secret-123"), options, null, CancellationToken.None));
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task TheOptInIsKeptByTheConnectionForEveryLaterRequest()
    {
        var handler = RecordingHandler.RenkuAdmin();
        var options = new RenkuConnectionOptions { Handler = handler, AllowUnencryptedAuthentication = true };
        using RenkuConnection connection = await RenkuConnector.ConnectWithAccessTokenAsync(PlainRemote, Secrets.Secure("token-123"), options, null, CancellationToken.None);
        Assert.True(connection.AllowUnencryptedAuthentication);
        Assert.Empty(await new RenkuApiClient(connection).GetEnvironmentsAsync(false, CancellationToken.None));
        Assert.Equal(new[] { "/api/data/version", "/api/data/user", "/api/data/environments" }, handler.Requests.Select(r => r.Uri.AbsolutePath));
        Assert.All(handler.Requests, r => Assert.Equal("Bearer token-123", r.Authorization));
    }

    [Fact]
    public async Task HttpsNeedsNoOptIn()
    {
        var handler = RecordingHandler.RenkuAdmin();
        using RenkuConnection connection = await RenkuConnector.ConnectWithAccessTokenAsync(new Uri("https://renku.example.org/"), Secrets.Secure("token-123"), new RenkuConnectionOptions { Handler = handler }, null, CancellationToken.None);
        Assert.False(connection.AllowUnencryptedAuthentication);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Theory]
    [InlineData("   ", "blank")]
    [InlineData("", "blank")]
    [InlineData("abc\r\ndef", "line break")]
    [InlineData("abc\ndef", "line break")]
    [InlineData("abc def", "whitespace")]
    [InlineData("abc\u0001def", "control character")]
    [InlineData("abcé", "non-ASCII")]
    public async Task ABlankOrMalformedTokenIsRefusedWithoutShowingIt(string token, string said)
    {
        var handler = RecordingHandler.RenkuAdmin();
        var error = await Assert.ThrowsAsync<InvalidAccessTokenException>(() => RenkuConnector.ConnectWithAccessTokenAsync(new Uri("https://renku.example.org/"), Secrets.Secure(token), new RenkuConnectionOptions { Handler = handler }, null, CancellationToken.None));
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
        Assert.Empty(handler.Requests);
    }

    [Fact]
    public void ATokenReadWithATrailingLineBreakIsTrimmed() =>
        Assert.Equal("eyJ.abc.def", RenkuConnector.CheckAccessToken("  eyJ.abc.def\r\n"));

    [Fact]
    public async Task AClientSecretIsNotPostedToATokenEndpointOnAnotherHost()
    {
        using HostileHttpServer keycloak = Discovery(tokenEndpoint: "https://collector.example.org/token");
        var error = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Equal("untrusted_endpoint", error.Error);
        Assert.Contains("collector.example.org", error.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "GET" }, keycloak.Requests.Select(r => r.Method));
        Assert.DoesNotContain("secret-123", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATrustedOtherHostStillNeedsHttps()
    {
        using HostileHttpServer keycloak = Discovery(tokenEndpoint: "http://auth.example.org/token");
        var options = new RenkuConnectionOptions { TrustedAuthorityHosts = new[] { "auth.example.org" } };
        await Assert.ThrowsAsync<UnencryptedCredentialException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), options, null, CancellationToken.None));
        Assert.Single(keycloak.Requests);
    }

    [Fact]
    public async Task ATrustedOtherHostGetsTheSecret()
    {
        // localhost and 127.0.0.1 are different hosts to the rule: the second server is "another host" reached over loopback.
        using HostileHttpServer tokens = HostileHttpServer.Start(HostileReply.Answer(401, Encoding.UTF8.GetBytes("{\"error\":\"invalid_client\"}")));
        using HostileHttpServer keycloak = Discovery(tokenEndpoint: $"http://localhost:{tokens.Port}/token");
        var untrusted = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Equal("untrusted_endpoint", untrusted.Error);
        Assert.Empty(tokens.Requests);

        var options = new RenkuConnectionOptions { TrustedAuthorityHosts = new[] { "localhost" } };
        var refused = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), options, null, CancellationToken.None));
        Assert.Equal("invalid_client", refused.Error);
        HostileRequest post = Assert.Single(tokens.Requests);
        Assert.StartsWith("Basic ", post.Header("Authorization"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheDeviceFlowStartsOnlyWhenBothEndpointsAreTrusted()
    {
        using HostileHttpServer deviceElsewhere = Discovery(tokenEndpoint: null, deviceEndpoint: "https://collector.example.org/device");
        var first = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.StartDeviceCodeAsync(deviceElsewhere.Uri, null, "renku-cli", new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Equal("untrusted_endpoint", first.Error);
        Assert.Single(deviceElsewhere.Requests);

        using HostileHttpServer tokenElsewhere = Discovery(tokenEndpoint: "https://collector.example.org/token", deviceEndpoint: null);
        var second = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.StartDeviceCodeAsync(tokenElsewhere.Uri, null, "renku-cli", new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Equal("untrusted_endpoint", second.Error);
        Assert.Contains("token_endpoint", second.Message, StringComparison.Ordinal);
        Assert.Single(tokenElsewhere.Requests);
    }

    [Fact]
    public async Task ATokenWithALineBreakFromTheIdentityProviderIsRefused()
    {
        using HostileHttpServer keycloak = Discovery(tokenEndpoint: null, tokenAnswer: "{\"access_token\":\"abc\\r\\nX-Injected: 1\",\"expires_in\":300}");
        var error = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Equal("invalid_response", error.Error);
        Assert.Contains("line break", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(keycloak.Requests, r => r.Path.StartsWith("/api/", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("[]", "{\"access_token\":\"abc\"}")]
    [InlineData("\"text\"", "{\"access_token\":\"abc\"}")]
    [InlineData(null, "[\"access_token\"]")]
    [InlineData(null, "{\"access_token\":{\"nested\":1}}")]
    public async Task AnIdentityProviderAnsweringOtherJsonShapesIsInvalidResponse(string? discovery, string tokenAnswer)
    {
        HostileHttpServer? server = null;
        server = HostileHttpServer.Start(request =>
        {
            string realm = $"http://{server!.Host}/auth/realms/Renku";
            string body = request.Path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal)
                ? discovery ?? $"{{\"token_endpoint\":\"{realm}/token\"}}"
                : tokenAnswer;
            return HostileReply.Answer(200, Encoding.UTF8.GetBytes(body), new Dictionary<string, string> { ["Content-Type"] = "application/json" });
        });
        using (server)
        {
            var error = await Assert.ThrowsAsync<OAuthException>(() => RenkuConnector.ConnectWithClientCredentialAsync(server.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions(), null, CancellationToken.None));
            Assert.Equal("invalid_response", error.Error);
        }
    }

    [Fact]
    public async Task ATokenLifetimeGivenAsTextIsIgnoredNotACrash()
    {
        using HostileHttpServer keycloak = Discovery(tokenEndpoint: null, tokenAnswer: "{\"access_token\":\"abc\",\"expires_in\":\"300\"}");
        await Assert.ThrowsAsync<RenkuApiException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions(), null, CancellationToken.None));
        Assert.Contains(keycloak.Requests, r => r.Path == "/api/data/version" && r.Header("Authorization") == "Bearer abc");
    }

    /// <summary>
    /// A Keycloak realm at <c>/auth/realms/Renku</c> whose discovery document names the given
    /// endpoints (null: its own, on the same host); its own token endpoint answers <paramref name="tokenAnswer"/>.
    /// </summary>
    private static HostileHttpServer Discovery(string? tokenEndpoint, string? deviceEndpoint = null, string tokenAnswer = "{\"error\":\"invalid_client\"}")
    {
        HostileHttpServer? server = null;
        server = HostileHttpServer.Start(request =>
        {
            string realm = $"http://{server!.Host}/auth/realms/Renku";
            if (request.Path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal))
            {
                string json = $"{{\"issuer\":\"{realm}\",\"token_endpoint\":\"{tokenEndpoint ?? realm + "/protocol/openid-connect/token"}\",\"device_authorization_endpoint\":\"{deviceEndpoint ?? realm + "/protocol/openid-connect/auth/device"}\"}}";
                return HostileReply.Answer(200, Encoding.UTF8.GetBytes(json), new Dictionary<string, string> { ["Content-Type"] = "application/json" });
            }

            return request.Path.EndsWith("/token", StringComparison.Ordinal)
                ? HostileReply.Answer(tokenAnswer.Contains("access_token", StringComparison.Ordinal) ? 200 : 401, Encoding.UTF8.GetBytes(tokenAnswer), new Dictionary<string, string> { ["Content-Type"] = "application/json" })
                : HostileReply.Answer(404, Array.Empty<byte>());
        });
        return server;
    }
}
