using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Tests.Environments;

/// <summary>
/// Launchers in every shape the data service sends (an image environment, a build environment
/// before and after its first build) and with every launcher_type it has sent (interactive,
/// non-interactive, non_interactive of 0.75 to 0.77, app of unreleased versions, and one unknown):
/// listed as data, and counted as users by Remove and Sync -Prune.
/// </summary>
public sealed class LauncherShapeTests : IDisposable
{
    private const string Image = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3";

    // launcher_type values the v0.79 spec in ../shared/renku/api does not list: older and newer services send them.
    private static readonly string[] OffSpecTypes = { "non_interactive", "app", "scheduled-batch" };

    private readonly RenkuTestServer server = RenkuTestServer.Start();

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        server.Dispose();

        // Every exchange follows the v0.79 contract except the launcher types other versions send, on purpose.
        Assert.All(server.Contract.Violations, v => Assert.Contains("launcher_type", v, StringComparison.Ordinal));
    }

    public static TheoryData<string> LauncherTypes => new() { "interactive", "non-interactive", "non_interactive", "app", "scheduled-batch" };

    [Theory]
    [MemberData(nameof(LauncherTypes))]
    public void EveryLauncherTypeIsListedAndKeepsItsEnvironmentInUse(string launcherType)
    {
        string used = server.Data.AddEnvironment("Used", Image);
        string free = server.Data.AddEnvironment("Free", Image);
        server.Data.AddLauncher("Job", used, launcherType: launcherType);

        var listed = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuSessionLauncher").ShouldSucceed();
        PSObject launcher = Assert.Single(listed.Output);
        Assert.Equal(launcherType, launcher.Properties["LauncherType"].Value);
        Assert.Equal(used, launcher.Properties["EnvironmentId"].Value);
        Assert.Equal(Image, launcher.Properties["EnvironmentImage"].Value);

        var removed = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Remove-RenkuGlobalEnvironment -Id $used, $free -Force", extra: new() { ["used"] = used, ["free"] = free });
        Assert.Equal(new[] { "EnvironmentInUse" }, removed.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
        Assert.Contains($"'Job' ({launcherType}, project ", removed.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Equal(new[] { "Used" }, server.Data.Environments.Select(e => (string)e["name"]!).ToArray());

        string file = Path.Combine(Path.GetTempPath(), $"renku-envs-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, "{ \"environments\": [] }");
        try
        {
            var synced = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -Prune -Remove -AllowEmpty -AllowLargePrune -Confirm:$false", extra: new() { ["file"] = file });
            Assert.Equal(new[] { "EnvironmentInUse" }, synced.ErrorIds.Select(e => e.Split(',')[0]).ToArray());
            Assert.Equal(new[] { "Used" }, server.Data.Environments.Select(e => (string)e["name"]!).ToArray());
        }
        finally
        {
            File.Delete(file);
        }

        // The checker knows which values v0.79 defines: the others are flagged (and only they), the rest is clean.
        if (OffSpecTypes.Contains(launcherType))
        {
            Assert.NotEmpty(server.Contract.Violations);
        }
        else
        {
            Assert.Empty(server.Contract.Violations);
        }
    }

    [Fact]
    public void BuildEnvironmentsAreListedBeforeAndAfterTheirFirstBuild()
    {
        string global = server.Data.AddEnvironment("Python", Image);
        server.Data.AddLauncher("Notebook", global);
        server.Data.AddBuildLauncher("Fresh build", "https://gitlab.example.org/team/analysis.git");
        server.Data.AddBuildLauncher("Built", "https://github.com/team/model.git", builtImage: "harbor.example.org/renku-build/model:01jb", launcherType: "non-interactive", frontendVariant: "vscodium");

        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuSessionLauncher").ShouldSucceed();
        var rows = result.Output.ToDictionary(o => (string)o.Properties["Name"].Value, o => o.Properties);
        Assert.Equal(new[] { "Built", "Fresh build", "Notebook" }, rows.Keys.OrderBy(k => k, StringComparer.Ordinal));

        Assert.Equal("build", rows["Fresh build"]["EnvironmentImageSource"].Value);
        Assert.Equal(true, rows["Fresh build"]["IsBuilt"].Value);
        Assert.Null(rows["Fresh build"]["EnvironmentImage"].Value);
        Assert.Equal("CUSTOM", rows["Fresh build"]["EnvironmentKind"].Value);
        Assert.Equal("https://gitlab.example.org/team/analysis.git", rows["Fresh build"]["BuildRepository"].Value);
        Assert.Equal("python", rows["Fresh build"]["BuilderVariant"].Value);
        Assert.Equal("jupyterlab", rows["Fresh build"]["FrontendVariant"].Value);

        Assert.Equal("harbor.example.org/renku-build/model:01jb", rows["Built"]["EnvironmentImage"].Value);
        Assert.Equal("vscodium", rows["Built"]["FrontendVariant"].Value);
        Assert.Equal("non-interactive", rows["Built"]["LauncherType"].Value);

        Assert.Equal("image", rows["Notebook"]["EnvironmentImageSource"].Value);
        Assert.Equal(false, rows["Notebook"]["IsBuilt"].Value);
        Assert.Null(rows["Notebook"]["BuildRepository"].Value);

        // Build environments are the projects' own: they never keep a global environment in use.
        var removed = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Get-RenkuSessionLauncher").ShouldSucceed();
        Assert.Equal("Notebook", Assert.Single(removed.Output).Properties["Name"].Value);
        Assert.Empty(server.Contract.Violations);
    }

    [Fact]
    public void SetWithAnInvalidIdAdvisesSelectingByNameNotRenaming()
    {
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Set-RenkuGlobalEnvironment -Id 'python-env' -Port 8888");
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("InvalidEnvironmentId,Renku.PowerShell.Commands.Environments.SetRenkuGlobalEnvironmentCommand", error.FullyQualifiedErrorId);
        string advice = error.ErrorDetails.RecommendedAction;
        Assert.DoesNotContain("use -Name", advice, StringComparison.Ordinal);
        Assert.Contains("Get-RenkuGlobalEnvironment -Name <name> | Set-RenkuGlobalEnvironment", advice, StringComparison.Ordinal);
        Assert.Equal(0, server.Data.Writes);
    }

    private PowerShellResult Run(string script, Dictionary<string, object?>? extra = null)
    {
        var secure = new SecureString();
        foreach (char c in server.Keycloak.IssueAccessToken("admin"))
        {
            secure.AppendChar(c);
        }

        var variables = new Dictionary<string, object?> { ["uri"] = server.Uri, ["token"] = secure };
        foreach (var pair in extra ?? new())
        {
            variables[pair.Key] = pair.Value;
        }

        return ModuleHost.Run(script, variables);
    }
}
