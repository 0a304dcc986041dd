using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>docker-registry in token mode with the test token service: bearer challenges, Basic exchanged for tokens, refresh tokens, the token cache.</summary>
public sealed class TokenAuthTests : IDisposable
{
    private const string User = "dana";
    private const string Password = "Token-s3cret-pw";
    private const string Refresh = "refresh-token-for-dana";
    private readonly TokenServer tokens = TokenServer.Start(User, Password, Refresh, "public/app");
    private readonly Lazy<RegistryServer> registry;
    private readonly string temp = Path.Combine(Path.GetTempPath(), "renku-ps-tokencfg-" + Guid.NewGuid().ToString("N")[..8]);

    public TokenAuthTests()
    {
        registry = new Lazy<RegistryServer>(() =>
        {
            RegistryServer server = RegistryServer.Start(null, null, tokens.RegistryAuthConfig);
            using var pusher = new RegistryPusher(server.BaseUri, User, Password);
            pusher.Push("private/app", "1.0", SampleImages.Layered());
            pusher.Push("public/app", "1.0", SampleImages.Layered(user: "renku"));
            return server;
        });
    }

    public void Dispose()
    {
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }

        tokens.Dispose();
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [SkippableFact]
    public async Task BasicCredentialsAreExchangedForATokenThatIsCached()
    {
        var reference = ImageReference.Parse(registry.Value.Host + "/private/app:1.0");
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, Password) });
        tokens.Requests.Clear();
        ImageInfo first = await inspector.InspectAsync(reference, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false });
        ImageInfo second = await inspector.InspectAsync(reference, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false });
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => inspector.ListTagsAsync(reference)));
        Assert.Equal("jovyan", first.User!.UserName);
        Assert.Equal(first.Digest, second.Digest);
        var userRequests = tokens.Requests.Where(r => r.Authenticated).ToList();
        Assert.NotEmpty(userRequests);
        Assert.True(userRequests.Count <= 2, $"{userRequests.Count} token requests for one scope"); // concurrent first uses may race once
        Assert.All(userRequests, r => Assert.Equal("repository:private/app:pull", r.Scope));
    }

    [SkippableFact]
    public async Task AnonymousTokensReadPublicRepositoriesOnly()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        ImageInfo open = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/public/app:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal(PublicAccess.Public, open.PublicAccess);
        Assert.Equal("renku", open.User!.UserName);
        Assert.Equal(1001, open.User.Uid);

        var closed = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
        Assert.Equal(RegistryErrorKind.Unauthorized, closed.Kind);
        Assert.Equal(PublicAccess.Private, await inspector.GetPublicAccessAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
    }

    [SkippableFact]
    public async Task PrivateImagesReadWithCredentialsAreClassifiedWithoutThem()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, Password) });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0"));
        Assert.Equal(PublicAccess.Private, info.PublicAccess);
        ImageInfo open = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/public/app:1.0"));
        Assert.Equal(PublicAccess.Public, open.PublicAccess);
        Assert.Contains(tokens.Requests, r => !r.Authenticated && r.Scope == "repository:private/app:pull");
    }

    [SkippableFact]
    public async Task WrongPasswordsAreRefusedByTheTokenService()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, "not-the-password") });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
        Assert.Equal(RegistryErrorKind.Unauthorized, error.Kind);
        Assert.Equal(401, error.StatusCode);
        Assert.DoesNotContain("not-the-password", error.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task IdentityTokensFromTheDockerConfigArePostedAsRefreshTokens()
    {
        Directory.CreateDirectory(temp);
        string config = Path.Combine(temp, "config.json");
        File.WriteAllText(config, $"{{\"auths\":{{\"{registry.Value.Host}\":{{\"auth\":\"\",\"identitytoken\":\"{Refresh}\"}}}}}}");
        using var inspector = new ImageInspector(new RegistryClientOptions { DockerConfigPath = config });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0"), new ImageInspectionOptions { CheckPublicAccess = false });
        Assert.Equal(3, info.LayerCount);
        Assert.Contains(tokens.Requests, r => r.Method == "POST" && r.Authenticated);
    }
}
