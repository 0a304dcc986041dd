using System.Net.Http.Headers;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Parts;

/// <summary>The real parts the integration tests stand on: a Docker engine and an OCI registry.</summary>
public class RealPartsTests
{
    [SkippableFact]
    public async Task RegistryAnswersTheDistributionApi()
    {
        using RegistryServer registry = RegistryServer.Start();
        using var http = new HttpClient();
        HttpResponseMessage response = await http.GetAsync(new Uri(registry.BaseUri, "v2/"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableFact]
    public async Task RegistryWithBasicAuthRefusesAnonymousAndAcceptsTheUser()
    {
        using RegistryServer registry = RegistryServer.WithBasicAuth("alice", "s3cret-pass");
        using var http = new HttpClient();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await http.GetAsync(new Uri(registry.BaseUri, "v2/"))).StatusCode);
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(registry.BaseUri, "v2/"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("alice:s3cret-pass"u8.ToArray()));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [SkippableFact]
    public void DockerEngineRunsAnImportedImageAndPushesIt()
    {
        DockerDaemon.Require();
        string rootfs = BusyboxImage.CreateRootfs(Path.Combine(Path.GetTempPath(), "renku-ps-parts-" + Guid.NewGuid().ToString("N")[..8]));
        try
        {
            BusyboxImage.Import(rootfs, "renku-ps-test/parts:1", "USER 1000");
            var run = DockerDaemon.Cli(TimeSpan.FromMinutes(1), "run", "--rm", "--network", "host", "renku-ps-test/parts:1", "id", "-u").EnsureSuccess("docker run");
            Assert.Equal("1000", run.StdOut.Trim());

            using RegistryServer registry = RegistryServer.Start();
            string target = registry.Host + "/parts/busybox:1";
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "tag", "renku-ps-test/parts:1", target).EnsureSuccess("docker tag");
            DockerDaemon.Cli(TimeSpan.FromMinutes(2), "push", target).EnsureSuccess("docker push");
            DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", target).EnsureSuccess("docker rmi");
        }
        finally
        {
            Directory.Delete(rootfs, recursive: true);
        }
    }
}
