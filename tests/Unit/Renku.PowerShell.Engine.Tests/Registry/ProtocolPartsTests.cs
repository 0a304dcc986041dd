using Renku.PowerShell.Images;
using Renku.PowerShell.Registry;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Registry;

public class ProtocolPartsTests
{
    [Fact]
    public void ParsesBearerChallengesWithQuotedCommas()
    {
        AuthChallenge challenge = AuthChallenge.Parse("Bearer realm=\"https://auth.example.org/token\",service=\"registry.example.org\",scope=\"repository:a/b:pull,push\",error=\"insufficient_scope\"")!;
        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.example.org/token", challenge["realm"]);
        Assert.Equal("registry.example.org", challenge["service"]);
        Assert.Equal("repository:a/b:pull,push", challenge["scope"]);
        Assert.True(AuthChallenge.Parse("Basic realm=\"Registry Realm\"")!.IsBasic);
        Assert.Null(AuthChallenge.Parse(null));
    }

    [Theory]
    [InlineData("localhost:5000", true)]
    [InlineData("127.0.0.1:5000", true)]
    [InlineData("[::1]:5000", true)]
    [InlineData("registry.example.org", false)]
    [InlineData("insecure.example.org:5000", true)]
    [InlineData("insecure.example.org:6000", true)]
    [InlineData("pinned.example.org:5000", true)]
    [InlineData("pinned.example.org:6000", false)]
    public void PlainHttpOnlyForLoopbackAndNamedRegistries(string registry, bool plain)
    {
        string[] insecure = { "insecure.example.org", "pinned.example.org:5000" };
        Assert.Equal(plain, RegistryEndpoint.AllowsPlainHttp(registry, insecure));
        Assert.Equal(plain ? "http" : "https", RegistryEndpoint.BaseUri(registry, insecure).Scheme);
    }

    [Fact]
    public void DockerHubIsReachedThroughItsApiHost() =>
        Assert.Equal("https://registry-1.docker.io/", RegistryEndpoint.BaseUri(ImageReference.Parse("python:3.12").Registry, Array.Empty<string>()).ToString());

    [Fact]
    public void ReadsOsReleaseQuoting()
    {
        var values = OsRelease.Parse("NAME=\"Ubuntu\"\nVERSION_ID='24.04'\nID=ubuntu\n# c\nID_LIKE=debian\nPRETTY_NAME=\"Say \\\"hi\\\"\"\n");
        Assert.Equal("Ubuntu", values["NAME"]);
        Assert.Equal("24.04", values["VERSION_ID"]);
        Assert.Equal("debian", values["ID_LIKE"]);
        Assert.Equal("Say \"hi\"", values["PRETTY_NAME"]);
    }

    [Fact]
    public void CredentialsNeverShowTheirSecret()
    {
        Assert.DoesNotContain("pw-123", new RegistryCredential("u", "pw-123").ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("xyz", RegistryCredential.FromIdentityToken("tok-xyz").ToString(), StringComparison.Ordinal);
    }
}
