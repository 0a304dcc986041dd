using System.Text;

using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Registry;

/// <summary>A registry with htpasswd Basic auth: explicit credentials, the Docker config, and public-access classification.</summary>
public sealed class BasicAuthTests : IDisposable
{
    private const string User = "alice";
    private const string Password = "s3cret-Pa55word";
    private readonly Lazy<RegistryServer> registry = new(() =>
    {
        RegistryServer server = RegistryServer.WithBasicAuth(User, Password);
        using var pusher = new RegistryPusher(server.BaseUri, User, Password);
        pusher.Push("private/app", "1.0", SampleImages.Layered());
        return server;
    });

    private readonly string temp = Path.Combine(Path.GetTempPath(), "renku-ps-dockercfg-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose()
    {
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }

        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ExplicitCredentialsReadAPrivateImage()
    {
        var log = new List<string>();
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, Password), Log = m => { lock (log) { log.Add(m); } } });
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0"), new ImageInspectionOptions { ReadFiles = true });
        Assert.Equal("jovyan", info.User!.UserName);
        Assert.Equal(PublicAccess.Private, info.PublicAccess);
        Assert.DoesNotContain(log, l => l.Contains(Password, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task WithoutCredentialsTheRegistryRefusesAndSaysWhatToDo()
    {
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
        Assert.Equal(RegistryErrorKind.Unauthorized, error.Kind);
        Assert.Contains("-Credential", error.Message, StringComparison.Ordinal);

        using var wrong = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false, Credential = new RegistryCredential(User, "wrong-password") });
        var refused = await Assert.ThrowsAsync<RegistryException>(() => wrong.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
        Assert.Equal(RegistryErrorKind.Unauthorized, refused.Kind);
        Assert.DoesNotContain("wrong-password", refused.ToString(), StringComparison.Ordinal);
        Assert.Equal(PublicAccess.Private, await inspector.GetPublicAccessAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0")));
    }

    [SkippableFact]
    public async Task CredentialsComeFromTheDockerConfigAuths()
    {
        Directory.CreateDirectory(temp);
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{User}:{Password}"));
        string config = Path.Combine(temp, "config.json");
        File.WriteAllText(config, $"{{\"auths\":{{\"http://{registry.Value.Host}\":{{\"auth\":\"{auth}\"}}}}}}");
        using var inspector = new ImageInspector(new RegistryClientOptions { DockerConfigPath = config });
        IReadOnlyList<ImageTag> tags = await inspector.ListTagsAsync(registry.Value.Host + "/private/app");
        Assert.Equal("1.0", Assert.Single(tags).Name);
    }

    [SkippableFact]
    public async Task CredentialsComeFromACredentialHelper()
    {
        Skip.If(OperatingSystem.IsWindows(), "The test helper is a shell script.");
        Directory.CreateDirectory(temp);
        string helper = Path.Combine(temp, "docker-credential-renkutest");
        // The helper answers only for the registry it is asked about, like real helpers do.
        File.WriteAllText(helper, $"#!/bin/sh\nread server\nif [ \"$1\" = get ] && [ \"$server\" = \"{registry.Value.Host}\" ]; then\n  printf '{{\"ServerURL\":\"%s\",\"Username\":\"{User}\",\"Secret\":\"{Password}\"}}' \"$server\"\n  exit 0\nfi\necho 'credentials not found in native keychain' >&2\nexit 1\n");
#pragma warning disable CA1416 // not reached on Windows (skipped above)
        File.SetUnixFileMode(helper, (UnixFileMode)0b111_101_101);
#pragma warning restore CA1416
        string config = Path.Combine(temp, "config.json");
        File.WriteAllText(config, $"{{\"credHelpers\":{{\"{registry.Value.Host}\":\"renkutest\"}}}}");
        string? path = Environment.GetEnvironmentVariable("PATH");
        Environment.SetEnvironmentVariable("PATH", temp + Path.PathSeparator + path);
        try
        {
            using var inspector = new ImageInspector(new RegistryClientOptions { DockerConfigPath = config });
            ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(registry.Value.Host + "/private/app:1.0"));
            Assert.Equal(PublicAccess.Private, info.PublicAccess);

            File.WriteAllText(config, "{\"credsStore\":\"renkutest\"}");
            using var store = new ImageInspector(new RegistryClientOptions { DockerConfigPath = config });
            Assert.Single(await store.ListTagsAsync(registry.Value.Host + "/private/app"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("PATH", path);
        }
    }
}
