using System.Security;
using System.Text.Json.Nodes;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Upgrades;

/// <summary>Auditing and updating Renku environments: Get-RenkuGlobalEnvironment | Get-RenkuImageUpgrade | Update-RenkuImageTag.</summary>
public sealed class EnvironmentUpgradeTests : IDisposable
{
    private readonly RenkuTestServer renku = RenkuTestServer.Start();
    private RegistryServer? registry;

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        renku.Dispose();
        registry?.Dispose();

        Assert.Empty(renku.Contract.Violations);
    }

    [SkippableFact]
    public void EnvironmentsAreAuditedAndUpdatedThroughTheDataApi()
    {
        string repository = Seed();
        string pythonId = renku.Data.AddEnvironment("Python", repository + ":1.0.0", port: 8888, defaultUrl: "/");
        string pinnedId = renku.Data.AddEnvironment("Pinned", repository + ":1.1.0", port: 8888, defaultUrl: "/");

        var audit = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Get-RenkuImageUpgrade").ShouldSucceed();
        Assert.Equal(2, audit.Output.Count);
        Assert.All(audit.Output, o => Assert.Equal("Environment", o.Properties["SourceKind"].Value.ToString()));

        var whatIf = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Get-RenkuImageUpgrade | Update-RenkuImageTag -WhatIf").ShouldSucceed();
        Assert.All(whatIf.Output, o => Assert.False((bool)o.Properties["Applied"].Value));
        Assert.Equal(0, renku.Data.Writes);

        var applied = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Update-RenkuImageTag -Confirm:$false").ShouldSucceed();
        var update = Assert.Single(applied.Output);
        Assert.True((bool)update.Properties["Applied"].Value);
        Assert.Equal(pythonId, update.Properties["EnvironmentId"].Value);
        Assert.Equal(repository + ":1.1.0", update.Properties["NewImage"].Value);
        Assert.Equal(1, renku.Data.Writes);
        Assert.Equal(repository + ":1.1.0", ImageOf(pythonId));
        Assert.Equal(repository + ":1.1.0", ImageOf(pinnedId));
    }

    [SkippableFact]
    public void ANonAdminIsRefusedBeforeAnythingIsSent()
    {
        string repository = Seed();
        renku.Data.AddEnvironment("Python", repository + ":1.0.0", port: 8888, defaultUrl: "/");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Update-RenkuImageTag -Confirm:$false", user: "jane");
        Assert.Contains(result.ErrorIds, id => id.StartsWith("RenkuAdminRequired,", StringComparison.Ordinal));
        Assert.Equal(0, renku.Data.Writes);
    }

    private string Seed()
    {
        Requires.Part(Requires.Which("docker-registry") is not null, "docker-registry", "install it with 'apt-get install docker-registry'");
        registry = RegistryServer.Start();
        using var seeder = new RegistrySeeder(registry);
        seeder.PushTagsAsync("team/session", new[] { "1.0.0", "1.1.0", "2.0.0" }, distinctDigests: true).GetAwaiter().GetResult();
        return registry.Host + "/team/session";
    }

    private string? ImageOf(string id) =>
        renku.Data.Environments.Single(e => (string?)e["id"] == id)["container_image"]?.GetValue<string>();

    private PowerShellResult Run(string script, string user = "admin")
    {
        var token = new SecureString();
        foreach (char c in renku.Keycloak.IssueAccessToken(user))
        {
            token.AppendChar(c);
        }

        return ModuleHost.Run(script, new Dictionary<string, object?> { ["uri"] = renku.Uri, ["token"] = token });
    }
}
