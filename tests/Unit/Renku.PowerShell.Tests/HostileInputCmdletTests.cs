using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The fuzz corpora at the cmdlet boundary: every committed input of the readers a user hands a
/// file, an archive or a reference to goes through the cmdlet that takes it. Each either gives its
/// result or an error record with a stable id (never an exception's type name), the module's own
/// exception, a message without library internals and a recommended action; nothing is sent.
/// </summary>
public sealed class HostileInputCmdletTests : IDisposable
{
    private static readonly string[] Internals = { "System.", "Nullable", "PublicKeyToken", "YamlDotNet", "   at " };

    private readonly RenkuTestServer server = RenkuTestServer.Start();
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-hostile-").FullName;

    public void Dispose()
    {
        server.Dispose();
        Directory.Delete(directory, recursive: true);

        Assert.Empty(server.Contract.Violations);
    }

    [Theory]
    [InlineData("env-yaml", ".yaml")]
    [InlineData("env-json", ".json")]
    public void EnvironmentsFilesSyncOrGiveTypedErrorsAndSendNothing(string target, string extension)
    {
        List<string> files = CopyCorpus(target, extension);
        var outcomes = RunEach(
            "Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null",
            "Sync-RenkuGlobalEnvironment -Path $file -WhatIf -AllowEmpty -ErrorAction Stop | Out-Null",
            files);

        AssertTyped(outcomes, files.Count);
        Assert.Equal(0, server.Data.Writes);
    }

    [Fact]
    public void ImageArchivesAreInspectedOrGiveTypedErrors()
    {
        List<string> files = CopyCorpus("image-archive", ".tar");
        AssertTyped(RunEach(string.Empty, "Get-RenkuImage -LiteralPath $file -IncludeFiles -ErrorAction Stop | Out-Null", files), files.Count);
    }

    [Fact]
    public void ImageReferencesParseOrGiveTypedErrors()
    {
        List<string> files = CopyCorpus("image-reference", ".txt");
        AssertTyped(RunEach(string.Empty, "ConvertTo-RenkuImageReference -Reference ([IO.File]::ReadAllText($file)) -ErrorAction Stop | Out-Null", files), files.Count);
    }

    private static void AssertTyped(IReadOnlyList<Outcome> outcomes, int expected)
    {
        Assert.Equal(expected, outcomes.Count);

        // The corpora hold inputs the readers refuse: the error path is what this checks.
        Assert.Contains(outcomes, o => o.Id is not null);
        var bad = new List<string>();
        foreach (Outcome outcome in outcomes.Where(o => o.Id is not null))
        {
            string id = outcome.Id!.Split(',')[0];
            bool stableId = id.Length > 0 && !id.Contains('.', StringComparison.Ordinal) && !id.EndsWith("Exception", StringComparison.Ordinal);
            bool ownException = outcome.ExceptionType!.StartsWith("Renku.PowerShell.", StringComparison.Ordinal)
                || outcome.ExceptionType.StartsWith("System.Management.Automation.", StringComparison.Ordinal);
            string? leak = Internals.FirstOrDefault(word => outcome.Message!.Contains(word, StringComparison.Ordinal));
            bool argumentRefusal = outcome.ExceptionType.StartsWith("System.Management.Automation.", StringComparison.Ordinal);
            bool advised = argumentRefusal || !string.IsNullOrWhiteSpace(outcome.Recommendation);
            if (!stableId || !ownException || leak is not null || !advised)
            {
                bad.Add($"{outcome.File}: {outcome.Id} ({outcome.ExceptionType}) {outcome.Message} [recommendation: {outcome.Recommendation}]");
            }
        }

        Assert.True(bad.Count == 0, $"{bad.Count} inputs broke the contract at the cmdlet:\n" + string.Join("\n", bad.Take(8)));
    }

    private List<Outcome> RunEach(string setup, string command, IReadOnlyList<string> files)
    {
        string script = setup + "\n" + """
            foreach ($file in $files) {
                try {
            """ + command + """

                    [pscustomobject]@{ File = $file; Id = $null }
                } catch {
                    [pscustomobject]@{
                        File = $file
                        Id = $_.FullyQualifiedErrorId
                        ExceptionType = $_.Exception.GetType().FullName
                        Message = if ($_.ErrorDetails -and $_.ErrorDetails.Message) { $_.ErrorDetails.Message } else { $_.Exception.Message }
                        Recommendation = if ($_.ErrorDetails) { $_.ErrorDetails.RecommendedAction } else { $null }
                    }
                }
            }
            """;
        var token = new SecureString();
        foreach (char c in server.Keycloak.IssueAccessToken("admin"))
        {
            token.AppendChar(c);
        }

        PowerShellResult result = ModuleHost.Run(
            script,
            new Dictionary<string, object?> { ["files"] = files.ToArray(), ["uri"] = server.Uri, ["token"] = token },
            TimeSpan.FromMinutes(5));
        Assert.Null(result.Terminating);
        return result.Output.Select(o => new Outcome(
            (string)o.Properties["File"].Value,
            o.Properties["Id"].Value as string,
            o.Properties["ExceptionType"]?.Value as string,
            o.Properties["Message"]?.Value as string,
            o.Properties["Recommendation"]?.Value as string)).ToList();
    }

    private List<string> CopyCorpus(string target, string extension)
    {
        string corpus = Path.Combine(RepoPaths.Root, "tests", "Fuzz", "corpus", target);
        string folder = Directory.CreateDirectory(Path.Combine(directory, target)).FullName;
        var files = new List<string>();
        foreach (string input in Directory.GetFiles(corpus).Order(StringComparer.Ordinal))
        {
            string copy = Path.Combine(folder, Path.GetFileName(input).Replace(':', '_') + extension);
            File.Copy(input, copy);
            files.Add(copy);
        }

        Assert.NotEmpty(files);
        return files;
    }

    private sealed record Outcome(string File, string? Id, string? ExceptionType, string? Message, string? Recommendation);
}
