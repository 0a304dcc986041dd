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

    public JsonObject Describe() => new() { ["uri"] = server.Uri.ToString() };

    public ValueTask DisposeAsync() => server.DisposeAsync();
}
