using System.Text.Json.Nodes;

using Renku.PowerShell.TestServers;

namespace Renku.PowerShell.TestParts;

/// <summary>The fake Renku data API and Keycloak realm, checking every exchange against the OpenAPI specs.</summary>
internal sealed class RenkuPart : ITestPart
{
    private readonly RenkuTestServer server;

    private RenkuPart(RenkuTestServer server) => this.server = server;

    public string Name => "renku";

    /// <summary>Starts the server; the specs come from RENKU_API_SPEC_DIR or ../shared/renku/api beside the repository.</summary>
    public static RenkuPart Start() => new(RenkuTestServer.Start(port: 0, specDirectory: null, deviceInterval: 0));

    /// <summary>The address and what to sign in with: the fake Keycloak's clients and users (made up, for the fake only).</summary>
    public JsonObject Describe() => new()
    {
        ["uri"] = server.Uri.ToString(),
        ["clientId"] = FakeKeycloak.AdminClient,
        ["clientSecret"] = FakeKeycloak.AdminClientSecret,
        ["readerClientId"] = FakeKeycloak.ReaderClient,
        ["readerClientSecret"] = FakeKeycloak.ReaderClientSecret,
        ["deviceClientId"] = FakeKeycloak.PublicClient,
        ["users"] = new JsonArray("admin", "jane"),
    };

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
