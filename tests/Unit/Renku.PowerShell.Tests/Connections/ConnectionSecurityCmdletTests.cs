using System.Diagnostics;
using System.Text;

using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Tests.Connections;

/// <summary>Connect-RenkuInstance as a careless user or a hostile server would drive it: every refusal has its error id and sends nothing.</summary>
public sealed class ConnectionSecurityCmdletTests
{
    private const string Secret = "s3cret-never-shown";

    [Theory]
    [InlineData("-AccessToken $token")]
    [InlineData("-ClientCredential ([pscredential]::new('svc', $token))")]
    [InlineData("-DeviceCode")]
    public void PlainHttpToARemoteHostIsRefusedForEveryCredentialType(string credential)
    {
        var clock = Stopwatch.StartNew();
        var result = Run($"Connect-RenkuInstance -Uri http://renku.example.org {credential}");
        Assert.StartsWith("UnencryptedCredentialRefused,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.Contains("-AllowUnencryptedAuthentication", result.AllText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, result.AllText(), StringComparison.Ordinal);
        Assert.Empty(result.Information);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"refusing took {clock.Elapsed}: something was tried first");
    }

    [Theory]
    [InlineData("   ")]
    [InlineData("abc\r\ndef")]
    [InlineData("abc\ndef")]
    [InlineData("abc def")]
    public void ABlankOrMalformedTokenIsInvalidAccessToken(string token)
    {
        using HostileHttpServer renku = HostileHttpServer.Start(HostileReply.Answer(500, Array.Empty<byte>()));
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token", renku.Uri, token);
        Assert.StartsWith("InvalidAccessToken,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.Empty(renku.Requests);
    }

    [Fact]
    public void ATokenEndpointOnAnotherHostIsRefusedUnlessTrustedByName()
    {
        using HostileHttpServer tokens = HostileHttpServer.Start(HostileReply.Answer(401, Encoding.UTF8.GetBytes("{\"error\":\"invalid_client\"}")));
        HostileHttpServer? keycloak = null;
        keycloak = HostileHttpServer.Start(request => request.Path.EndsWith("/.well-known/openid-configuration", StringComparison.Ordinal)
            ? HostileReply.Answer(200, Encoding.UTF8.GetBytes($"{{\"issuer\":\"{keycloak!.Uri}auth/realms/Renku\",\"token_endpoint\":\"http://localhost:{tokens.Port}/token\"}}"))
            : HostileReply.Answer(404, Array.Empty<byte>()));
        using (keycloak)
        {
            const string connect = "Connect-RenkuInstance -Uri $uri -ClientCredential ([pscredential]::new('svc', $token))";
            var refused = Run(connect, keycloak.Uri);
            Assert.StartsWith("AuthorityEndpointRefused,", Assert.Single(refused.ErrorIds), StringComparison.Ordinal);
            Assert.Empty(tokens.Requests);

            var trusted = Run(connect + " -TrustedAuthorityHost localhost", keycloak.Uri);
            Assert.StartsWith("RenkuAuthenticationFailed,", Assert.Single(trusted.ErrorIds), StringComparison.Ordinal);
            Assert.Single(tokens.Requests);
            Assert.DoesNotContain(Secret, trusted.AllText(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ARenkuThatNeverAnswersIsRenkuTimeoutWithinTimeout()
    {
        using HostileHttpServer renku = HostileHttpServer.Start(HostileReply.NeverAnswer());
        var clock = Stopwatch.StartNew();
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token -Timeout 00:00:02", renku.Uri);
        Assert.StartsWith("RenkuTimeout,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(20));
        Assert.DoesNotContain(Secret, result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void TheConnectionShowsItsTimeoutAndOptIn()
    {
        using HostileHttpServer renku = HostileHttpServer.Start(request => request.Path switch
        {
            "/api/data/version" => HostileReply.Answer(200, Encoding.UTF8.GetBytes("{\"version\":\"0.79.0\"}")),
            "/api/data/user" => HostileReply.Answer(200, Encoding.UTF8.GetBytes("{\"id\":\"u1\",\"username\":\"admin\",\"is_admin\":true}")),
            _ => HostileReply.Answer(404, Array.Empty<byte>()),
        });
        var result = Run("$c = Connect-RenkuInstance -Uri $uri -AccessToken $token -Timeout 00:00:45; $c.Timeout; $c.AllowUnencryptedAuthentication", renku.Uri).ShouldSucceed();
        Assert.Equal(new object[] { TimeSpan.FromSeconds(45), false }, result.Output.Select(o => o.BaseObject));
        Assert.All(renku.Requests, r => Assert.Equal("Bearer " + Secret, r.Header("Authorization")));
    }

    [Theory]
    [InlineData("00:00:00")]
    [InlineData("-00:00:05")]
    public void ATimeoutMustBePositive(string timeout)
    {
        var result = Run($"Connect-RenkuInstance -Uri http://127.0.0.1:9 -AccessToken $token -Timeout '{timeout}'");
        Assert.StartsWith("ParameterArgumentValidationError,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
    }

    private static PowerShellResult Run(string script, Uri? uri = null, string token = Secret)
    {
        var secure = new System.Security.SecureString();
        foreach (char c in token)
        {
            secure.AppendChar(c);
        }

        return ModuleHost.Run(script, new Dictionary<string, object?> { ["uri"] = uri, ["token"] = secure });
    }
}
