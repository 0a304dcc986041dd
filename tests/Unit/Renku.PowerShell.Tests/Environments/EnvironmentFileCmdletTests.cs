using System.Security;

using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Tests.Environments;

/// <summary>
/// Sync-RenkuGlobalEnvironment with files a careless hand writes: each error keeps its id, names
/// the file, the line and the key in the file's terms, shows no library internals, and nothing is sent.
/// Lengths are counted as Renku counts them.
/// </summary>
public sealed class EnvironmentFileCmdletTests : IDisposable
{
    private static readonly string[] Internals = { "System.", "Nullable", "PublicKeyToken", "deserializer", "Arithmetic operation", "Renku.PowerShell.Environments" };

    private readonly RenkuTestServer server = RenkuTestServer.Start();
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-syncfile-").FullName;

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        server.Dispose();
        Directory.Delete(directory, recursive: true);

        Assert.Empty(server.Contract.Violations);
    }

    [Theory]
    [InlineData("syntax.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n   port: 8888\n", "line 4: the YAML is not valid")]
    [InlineData("list.yaml", "- name: A\n  container_image: python:3.12\n", "line 1: the file is a list at the top")]
    [InlineData("type.yaml", "environments:\n  - name: Broken\n    container_image: python:3.12\n    port: eighty\n", "line 4: environments[0] (name: Broken).port must be a whole number; it is 'eighty'")]
    [InlineData("type.json", "{\"environments\": [{\"name\": \"Broken\", \"container_image\": \"python:3.12\", \"uid\": \"1000\"}]}", "line 1: environments[0] (name: Broken).uid must be a whole number")]
    public void AFileThatCannotBeReadIsEnvironmentFileInvalidInTheFilesTerms(string name, string text, string said)
    {
        // What the user reads: the error record's text, as the console shows it.
        string file = Write(name, text);
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; try { Sync-RenkuGlobalEnvironment -Path $file -Confirm:$false } catch { $_.FullyQualifiedErrorId; $_.ToString() }", new() { ["file"] = file });
        Assert.StartsWith("EnvironmentFileInvalid,", (string)result.Output[0].BaseObject, StringComparison.Ordinal);
        string message = (string)result.Output[1].BaseObject;
        Assert.Contains($"{file}, {said}", message, StringComparison.Ordinal);
        Assert.All(Internals, word => Assert.DoesNotContain(word, message, StringComparison.Ordinal));
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void ABadEntryIsNamedByFileEntryKeyAndLineAndNumbersOutOfRangeKeepTheirFieldsId()
    {
        string file = Write("envs.yaml", "environments:\n  - name: Fine\n    container_image: python:3.12\n  - name: Huge\n    container_image: python:3.12\n    port: 99999999999\n  - name: Broken\n    container_image: Bad Image\n");
        var result = Sync(file);
        Assert.Equal(new[] { "InvalidEnvironmentPort", "InvalidEnvironmentImage", "EnvironmentFileInvalid" }, result.ErrorIds.Select(e => e.Split(',')[0]));
        Assert.StartsWith($"{file}, line 6: environments[1] (name: Huge).port must be between 1 and 65399", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.StartsWith($"{file}, line 8: environments[2] (name: Broken).container_image 'Bad Image' is not a valid image reference", result.Errors[1].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.All(result.Errors, e => Assert.DoesNotContain("overflow", e.ToString(), StringComparison.OrdinalIgnoreCase));
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void EveryProblemOfTheFileIsItsOwnErrorThenOneSummaryAndNothingIsSent()
    {
        string file = Write("four.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n    prot: 8888\n  - name: B\n  - name: A\n    container_image: python:3.11\n    uid: thousand\n");
        var result = Sync(file);
        Assert.Equal(
            new[] { "EnvironmentFileUnknownKey", "InvalidEnvironmentImage", "DuplicateEnvironmentName", "EnvironmentFileWrongType", "EnvironmentFileInvalid" },
            result.ErrorIds.Select(e => e.Split(',')[0]));
        // The target is the problem itself (the engine's type, loaded in the module's own context): file, line, entry, key.
        Assert.All(result.Errors.Take(4), e => Assert.Equal("Renku.PowerShell.EnvironmentFileProblem", e.TargetObject.GetType().FullName));
        Assert.Equal(new object[] { 4L, 5L, 6L, 8L }, result.Errors.Take(4).Select(e => System.Management.Automation.PSObject.AsPSObject(e.TargetObject).Properties["Line"].Value));
        Assert.Contains("did you mean 'port'?", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("container_image is missing", result.Errors[1].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("4 problems", result.Errors[4].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.All(result.Errors, e => Assert.DoesNotContain('\n', e.ErrorDetails.Message));
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void NinetyNineEmojiAreANameRenkuAccepts()
    {
        string name = string.Concat(Enumerable.Repeat("\U0001F600", 99));
        string file = Write("emoji.yaml", $"environments:\n  - name: {name}\n    container_image: python:3.12\n");
        Sync(file).ShouldSucceed();
        Assert.Equal(name, (string)server.Data.Environments.Single()["name"]!);

        var created = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; New-RenkuGlobalEnvironment -Name $name -Image python:3.12", new() { ["name"] = "\U00020000" + name[2..] });
        created.ShouldSucceed();
        var refused = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; New-RenkuGlobalEnvironment -Name $name -Image python:3.12", new() { ["name"] = name + "\U0001F600" });
        Assert.StartsWith("InvalidEnvironmentName,", Assert.Single(refused.ErrorIds), StringComparison.Ordinal);
        Assert.Contains("it has 100", refused.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Data.Environments.Count);
    }

    private PowerShellResult Sync(string file) => Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Sync-RenkuGlobalEnvironment -Path $file -Confirm:$false", new() { ["file"] = file });

    private PowerShellResult Run(string script, Dictionary<string, object?> extra)
    {
        var token = new SecureString();
        foreach (char c in server.Keycloak.IssueAccessToken("admin"))
        {
            token.AppendChar(c);
        }

        var variables = new Dictionary<string, object?>(extra) { ["uri"] = server.Uri, ["token"] = token };
        return ModuleHost.Run(script, variables);
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
