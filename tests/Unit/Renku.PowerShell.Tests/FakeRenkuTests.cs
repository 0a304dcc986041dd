using System.Security;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// Base of the cmdlet tests that run against the fake Renku (data API and Keycloak, every exchange
/// checked against the specs), with a folder of their own and, when a test starts one, a loopback
/// registry. All of it goes when the test ends; an exchange that broke the contract then fails it.
/// </summary>
public abstract class FakeRenkuTests : IDisposable
{
    protected FakeRenkuTests(string folderPrefix)
    {
        folder = Directory.CreateTempSubdirectory(folderPrefix).FullName;
    }

    protected readonly RenkuTestServer renku = RenkuTestServer.Start();
    protected readonly string folder;
    protected RegistryServer? registry;

    public void Dispose()
    {
        // Everything the test started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        renku.Dispose();
        registry?.Dispose();
        Directory.Delete(folder, recursive: true);
        IReadOnlyList<string> violations = renku.Contract.Violations;
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
        GC.SuppressFinalize(this);
    }

    /// <summary>Starts the loopback registry (skips, or fails under CI=true, without docker-registry).</summary>
    protected RegistryServer StartRegistry()
    {
        Requires.Part(Requires.Which("docker-registry") is not null, "docker-registry", "install it with 'apt-get install docker-registry'");
        registry = RegistryServer.Start();
        return registry;
    }

    /// <summary>
    /// Runs a script in the module with <c>$uri</c> (the fake Renku), <c>$token</c> (an access token
    /// of <paramref name="user"/> as a SecureString), the test's <see cref="Variables"/> and <paramref name="extra"/>.
    /// </summary>
    protected PowerShellResult Run(string script, string user = "admin", Dictionary<string, object?>? extra = null)
    {
        var token = new SecureString();
        foreach (char c in renku.Keycloak.IssueAccessToken(user))
        {
            token.AppendChar(c);
        }

        var variables = new Dictionary<string, object?> { ["uri"] = renku.Uri, ["token"] = token };
        foreach (var pair in Variables().Concat(extra ?? new()))
        {
            variables[pair.Key] = pair.Value;
        }

        return ModuleHost.Run(script, variables);
    }

    /// <summary>Variables every script of the test gets besides <c>$uri</c> and <c>$token</c>.</summary>
    protected virtual Dictionary<string, object?> Variables() => new();
}
