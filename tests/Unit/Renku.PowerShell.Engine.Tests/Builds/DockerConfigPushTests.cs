using Renku.PowerShell.Builds;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Builds;

/// <summary>Pushing without -Credential takes the registry's login from the Docker config file.</summary>
public sealed class DockerConfigPushTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "renku-ps-push-config-" + Guid.NewGuid().ToString("N")[..8]);

    public DockerConfigPushTests()
    {
        Directory.CreateDirectory(directory);
    }

    [SkippableFact]
    public async Task TheDockerConfigsAuthsEntryIsUsedForThePush()
    {
        string host = DockerDaemon.Require();
        using RegistryServer registry = RegistryServer.WithBasicAuth("ci-bot", "config-secret-1");
        string rootfs = BusyboxImage.CreateRootfs(Path.Combine(directory, "rootfs"));
        string baseTag = "renku-ps-test/push-config-base:" + Guid.NewGuid().ToString("N")[..8];
        BusyboxImage.Import(rootfs, baseTag);
        string context = Path.Combine(directory, "context");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {baseTag}\nLABEL pushed=by-config\n");
        string tag = registry.Host + "/ci/app:7";
        string config = Path.Combine(directory, "config.json");
        string auth = Convert.ToBase64String("ci-bot:config-secret-1"u8.ToArray());
        File.WriteAllText(config, "{ \"auths\": { \"" + registry.Host + "\": { \"auth\": \"" + auth + "\" } } }");
        string emptyConfig = Path.Combine(directory, "empty.json");
        File.WriteAllText(emptyConfig, "{ \"auths\": {} }");

        using DockerImageBuilder builder = await DockerImageBuilder.ConnectAsync(host, CancellationToken.None);
        try
        {
            var events = new List<BuildEvent>();
            DockerBuildOutcome built = await builder.BuildAsync(new DockerBuildRequest(context) { Tags = new[] { tag } }, events.Add, CancellationToken.None);
            Assert.StartsWith("sha256:", built.ImageId, StringComparison.Ordinal);

            var refused = await Assert.ThrowsAsync<ImageBuildException>(() => builder.PushAsync(new[] { tag }, null, events.Add, CancellationToken.None, emptyConfig));
            Assert.Equal(ImageBuildFailure.PushFailed, refused.Failure);

            IReadOnlyList<PushedTag> pushed = await builder.PushAsync(new[] { tag }, null, events.Add, CancellationToken.None, config);
            Assert.Matches("^sha256:[0-9a-f]{64}$", Assert.Single(pushed).Digest);
            Assert.DoesNotContain(events, e => e.Text.Contains("config-secret-1", StringComparison.Ordinal));
        }
        finally
        {
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", "-f", tag);
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", "-f", baseTag);
        }
    }

    public void Dispose() => Directory.Delete(directory, recursive: true);
}
