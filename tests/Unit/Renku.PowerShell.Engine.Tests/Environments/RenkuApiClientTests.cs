using System.Diagnostics;
using System.Net;
using Renku.PowerShell.Environments;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>The data API client against the fake service, for the semantics the cmdlets rely on.</summary>
public sealed class RenkuApiClientTests : FakeRenkuApiTests
{
    [Fact]
    public async Task DeletingAMissingIdAnswers204AndAUsedOneIsADatabaseError()
    {
        var client = await ClientAsync("admin");
        await client.DeleteEnvironmentAsync(Ulid.New(), CancellationToken.None);

        string used = server.Data.AddEnvironment("Used", "python:3.12");
        server.Data.AddLauncher("Notebook", used);
        var error = await Assert.ThrowsAsync<RenkuApiException>(() => client.DeleteEnvironmentAsync(used, CancellationToken.None));
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal(1500, error.ApiCode);
        Assert.StartsWith("Database error occurred", error.ApiMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ANonAdminPatchIs401AndAnInvalidTokenReadsAsAnonymous()
    {
        string id = server.Data.AddEnvironment("Python", "python:3.12");
        server.Data.AddLauncher("Private", id, members: "jane");
        var jane = await ClientAsync("jane");
        var error = await Assert.ThrowsAsync<RenkuApiException>(() => jane.UpdateEnvironmentAsync(id, new[] { new EnvironmentFieldChange("port", 8080, 8888) }, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.Equal(1401, error.ApiCode);
        Assert.Single(await jane.GetSessionLaunchersAsync(null, CancellationToken.None));

        // Revoked tokens are not refused on reads: the caller silently becomes anonymous.
        server.Keycloak.RevokeAccessTokens();
        Assert.Single(await jane.GetEnvironmentsAsync(false, CancellationToken.None));
        Assert.Empty(await jane.GetSessionLaunchersAsync(null, CancellationToken.None));
        var user = await Assert.ThrowsAsync<RenkuApiException>(() => jane.GetUserAsync(CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, user.StatusCode);
    }

    [Fact]
    public async Task NullFieldsAreLeftOutAndReadBackAsUnset()
    {
        var client = await ClientAsync("admin");
        var created = await client.CreateEnvironmentAsync(new EnvironmentSpec { Name = "Bare", Image = "python:3.12", WorkingDirectory = null, MountDirectory = null }, CancellationToken.None);
        Assert.Null(created.WorkingDirectory);
        Assert.Null(created.Command);
        Assert.Equal(8888, created.Port);
        Assert.False(server.Data.Environments.Single().ContainsKey("working_directory"));
        Assert.True(EnvironmentValidator.IsUlid(created.Id));
    }

    [Fact]
    public async Task TheServerRunsAsAProcessAndPrintsItsUrl()
    {
        string dll = typeof(RenkuTestServer).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--port");
        start.ArgumentList.Add("0");
        using var process = Process.Start(start)!;
        try
        {
            Task<string?> read = process.StandardOutput.ReadLineAsync();
            Assert.True(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(60))) == read, "The server printed nothing within 60 s.");
            string? line = await read;
            Assert.StartsWith("RENKU_TEST_SERVER_URL=http://127.0.0.1:", line, StringComparison.Ordinal);
            var uri = new Uri(line!.Split('=', 2)[1]);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            Assert.Contains("0.79.0", await http.GetStringAsync(new Uri(uri, "api/data/version")), StringComparison.Ordinal);
        }
        finally
        {
            process.StandardInput.Close();
            if (!process.WaitForExit(10_000))
            {
                process.Kill();
            }
        }
    }

    [Fact]
    public async Task ThePlatformsPullCheckIsReadWithItsConnection()
    {
        var client = await ClientAsync("jane");
        server.Data.SetImageCheck("harbor.example.org/team/lab:1.0", accessible: true, connectionProvider: "Team Harbor", "linux/amd64", "linux/arm64/v8");
        server.Data.SetImageCheck("python:3.12", accessible: true);

        PlatformImageCheck viaConnection = await client.CheckImageAsync("harbor.example.org/team/lab:1.0", CancellationToken.None);
        Assert.True(viaConnection.Accessible);
        Assert.True(viaConnection.UsesConnection);
        Assert.Equal("connected", viaConnection.ConnectionStatus);
        Assert.Equal("Team Harbor", viaConnection.ProviderName);
        Assert.Equal(new[] { "linux/amd64", "linux/arm64/v8" }, viaConnection.Platforms);

        PlatformImageCheck anonymous = await client.CheckImageAsync("python:3.12", CancellationToken.None);
        Assert.True(anonymous.Accessible);
        Assert.False(anonymous.UsesConnection);
        Assert.False((await client.CheckImageAsync("ghcr.io/nobody/nothing:1", CancellationToken.None)).Accessible);

        var malformed = await Assert.ThrowsAsync<RenkuApiException>(() => client.CheckImageAsync("bad image", CancellationToken.None));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, malformed.StatusCode);

        // The exchanges were checked against notebooks_api.spec.yaml (Dispose asserts no violation).
        Assert.Contains(server.Data.Requests, r => r.StartsWith("GET /sessions/images -> 200", StringComparison.Ordinal));
        Assert.True(server.Contract.ResponsesChecked >= 4);
    }
}
