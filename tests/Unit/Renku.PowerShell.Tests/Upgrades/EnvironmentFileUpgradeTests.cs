using System.Security;
using System.Text;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Upgrades;

/// <summary>
/// Environments files as upgrade targets: Get-RenkuImageUpgrade -Path environments.yaml gives one
/// row per entry, Update-RenkuImageTag rewrites only the images, and Sync -WhatIf of the file then
/// plans exactly the tag changes. Files that name no image are typed errors.
/// </summary>
public sealed class EnvironmentFileUpgradeTests : IDisposable
{
    private readonly RenkuTestServer renku = RenkuTestServer.Start();
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-envfile-upgrade-").FullName;
    private RegistryServer? registry;

    public void Dispose()
    {
        renku.Dispose();
        registry?.Dispose();
        Directory.Delete(directory, recursive: true);

        Assert.Empty(renku.Contract.Violations);
    }

    [SkippableTheory]
    [InlineData("environments.yaml")]
    [InlineData("environments.json")]
    public void TheFileIsAuditedUpdatedInPlaceAndSyncPlansOnlyTheTags(string name)
    {
        string repository = Seed();
        renku.Data.AddEnvironment("Python", repository + ":1.0.0", port: 8888, defaultUrl: "/");
        renku.Data.AddEnvironment("Pinned", repository + ":1.1.0", port: 8888, defaultUrl: "/");
        renku.Data.AddEnvironment("Old", repository + ":1.0.1", port: 8787, defaultUrl: "/rstudio");
        string file = Path.Combine(directory, name);

        Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Export-RenkuGlobalEnvironment -Path $file", file).ShouldSucceed();
        // Edited by hand since: a comment on top, CRLF line endings and a byte-order mark.
        string exported = File.ReadAllText(file);
        string edited = (name.EndsWith(".json", StringComparison.Ordinal) ? "// lab environments\n" : "# lab environments\n") + exported;
        edited = edited.Replace("\n", "\r\n", StringComparison.Ordinal);
        File.WriteAllBytes(file, new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(edited)).ToArray());

        var audit = Run("Get-RenkuImageUpgrade -Path $file", file).ShouldSucceed();
        Assert.Equal(3, audit.Output.Count);
        Assert.All(audit.Output, o => Assert.Equal("EnvironmentFile", o.Properties["SourceKind"].Value.ToString()));
        Assert.Equal(new[] { "Old", "Pinned", "Python" }, audit.Output.Select(o => (string)o.Properties["EnvironmentName"].Value).Order());
        Assert.All(audit.Output, o => Assert.Equal(file, o.Properties["Path"].Value));
        Assert.All(audit.Output, o => Assert.Contains(repository, edited.Split("\r\n")[(int)o.Properties["Line"].Value - 1], StringComparison.Ordinal));

        var update = Run("Get-RenkuImageUpgrade -Path $file | Update-RenkuImageTag -Confirm:$false", file).ShouldSucceed();
        Assert.Equal(2, update.Output.Count);
        Assert.All(update.Output, o => Assert.True((bool)o.Properties["Applied"].Value));

        string expected = edited.Replace(repository + ":1.0.0", repository + ":1.1.0", StringComparison.Ordinal).Replace(repository + ":1.0.1", repository + ":1.1.0", StringComparison.Ordinal);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes(expected)).ToArray(), File.ReadAllBytes(file));
        Assert.Equal(new[] { name }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));

        var plan = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -WhatIf", file).ShouldSucceed();
        var changed = plan.Output.Where(o => o.Properties["Action"].Value.ToString() != "Unchanged").ToList();
        Assert.Equal(new[] { "Old", "Python" }, changed.Select(o => (string)o.Properties["Name"].Value).Order());
        Assert.All(changed, o => Assert.Equal("Update", o.Properties["Action"].Value.ToString()));
        Assert.All(changed, o =>
        {
            var change = System.Management.Automation.PSObject.AsPSObject(Assert.Single(((System.Collections.IEnumerable)o.Properties["Changes"].Value).Cast<object>()));
            Assert.Equal("container_image", change.Properties["Field"].Value);
            Assert.Equal(repository + ":1.1.0", change.Properties["NewValue"].Value);
        });
        Assert.Equal(0, renku.Data.Writes);
    }

    [SkippableFact]
    public void AnApiUpdateOfAnEnvironmentTheFileManagesWarnsThatTheNextSyncRevertsIt()
    {
        string repository = Seed();
        renku.Data.AddEnvironment("Python", repository + ":1.0.0", port: 8888, defaultUrl: "/");
        string file = Path.Combine(directory, "environments.yaml");
        Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Export-RenkuGlobalEnvironment -Path $file", file).ShouldSucceed();

        // Without the file the module cannot know, and says nothing.
        var silent = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Update-RenkuImageTag -WhatIf", file).ShouldSucceed();
        Assert.Empty(silent.Warnings);

        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Update-RenkuImageTag -EnvironmentFile $file -Confirm:$false", file).ShouldSucceed();

        Assert.True((bool)Assert.Single(result.Output).Properties["Applied"].Value);
        string warning = Assert.Single(result.Warnings);
        Assert.Contains(file, warning, StringComparison.Ordinal);
        Assert.Contains("sets its image back to " + repository + ":1.0.0", warning, StringComparison.Ordinal);

        // What the warning says is what the sync does.
        var plan = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -WhatIf", file).ShouldSucceed();
        var change = Assert.Single(plan.Output, o => o.Properties["Action"].Value.ToString() == "Update");
        Assert.Contains(repository + ":1.0.0", change.ToString(), StringComparison.Ordinal);

    }

    [SkippableFact]
    public void AFileEditedSinceTheAuditIsRefusedAndLeftAlone()
    {
        string repository = Seed();
        string file = Path.Combine(directory, "environments.yml");
        File.WriteAllText(file, $"environments:\n  - name: Python\n    container_image: {repository}:1.0.0\n");
        string edited = $"environments:\n  - name: Python\n    container_image: {repository}:1.0.0\n    port: 9000\n";

        var result = Run("$rows = Get-RenkuImageUpgrade -LiteralPath $file; [IO.File]::WriteAllText($file, $edited); $rows | Update-RenkuImageTag -Confirm:$false", file, edited);

        Assert.StartsWith("ImageTagUpdateFailed,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.Equal(edited, File.ReadAllText(file));
        Assert.Equal(new[] { "environments.yml" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Theory]
    [InlineData("notes.txt", "just some notes\n", "UnsupportedUpgradeFile,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand")]
    [InlineData("Dockerfile", "# no base image\nRUN echo hi\n", "InvalidDockerfile,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand")]
    [InlineData("environments.yaml", "services:\n  web: {}\n", "EnvironmentFileInvalid,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand")]
    public void AFileThatNamesNoImageIsATypedErrorNotAnEmptyResult(string name, string content, string errorId)
    {
        string file = Path.Combine(directory, name);
        File.WriteAllText(file, content);

        var result = ModuleHost.Run("Get-RenkuImageUpgrade -Path $file", new Dictionary<string, object?> { ["file"] = file });

        Assert.Equal(new[] { errorId }, result.ErrorIds);
        Assert.Empty(result.Output);
    }

    private string Seed()
    {
        Requires.Part(Requires.Which("docker-registry") is not null, "docker-registry", "install it with 'apt-get install docker-registry'");
        registry = RegistryServer.Start();
        using var seeder = new RegistrySeeder(registry);
        seeder.PushTagsAsync("team/session", new[] { "1.0.0", "1.0.1", "1.1.0", "2.0.0" }, distinctDigests: true).GetAwaiter().GetResult();
        return registry.Host + "/team/session";
    }

    private PowerShellResult Run(string script, string file, string? edited = null)
    {
        var token = new SecureString();
        foreach (char c in renku.Keycloak.IssueAccessToken("admin"))
        {
            token.AppendChar(c);
        }

        return ModuleHost.Run(script, new Dictionary<string, object?> { ["uri"] = renku.Uri, ["token"] = token, ["file"] = file, ["edited"] = edited });
    }
}
