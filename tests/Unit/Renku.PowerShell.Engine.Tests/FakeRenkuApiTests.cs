using Renku.PowerShell.Engine.Tests.Auth;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Engine.Tests;

/// <summary>
/// Base of the engine tests that talk to the fake Renku (data API and Keycloak, every exchange
/// checked against the specs). The server goes when the test ends, after what the test itself
/// started (<see cref="DisposeParts"/>); an exchange that broke the contract then fails the test.
/// </summary>
public abstract class FakeRenkuApiTests : IDisposable
{
    protected readonly RenkuTestServer server = RenkuTestServer.Start();

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        server.Dispose();
        DisposeParts();

        Assert.Empty(server.Contract.Violations);
        GC.SuppressFinalize(this);
    }

    /// <summary>The data API client, connected with an access token of <paramref name="user"/>.</summary>
    protected async Task<RenkuApiClient> ClientAsync(string user = "admin")
    {
        var connection = await RenkuConnector.ConnectWithAccessTokenAsync(server.Uri, Secrets.Secure(server.Keycloak.IssueAccessToken(user)), null, null, CancellationToken.None);
        return new RenkuApiClient(connection);
    }

    /// <summary>Stops what the test started besides the fake Renku.</summary>
    protected virtual void DisposeParts()
    {
    }
}
