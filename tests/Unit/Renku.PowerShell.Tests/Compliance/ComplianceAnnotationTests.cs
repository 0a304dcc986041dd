using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>GITHUB_ACTIONS and TF_BUILD are process-wide, so these run alone.</summary>
[Collection(nameof(ProcessWideStateCollection))]
public class ComplianceAnnotationTests
{
    private const string RenkuBasedDockerfile =
        "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\n" +
        "USER root\n" +
        "RUN apt-get update && \\\n" +
        "    apt-get install -y vim\n" +
        "ENTRYPOINT [\"/bin/bash\"]\n";

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    [Fact]
    public void CiSystemsGetAnnotationLines()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", RenkuBasedDockerfile);
        var github = ModuleHost.Run("try { $env:GITHUB_ACTIONS = 'true'; Test-RenkuImageCompliance -Dockerfile $path } finally { [Environment]::SetEnvironmentVariable('GITHUB_ACTIONS', $null) }", Vars(("path", dockerfile))).ShouldSucceed();
        string[] lines = github.Information.Select(i => i.MessageData.ToString()!).ToArray();
        Assert.Contains(lines, l => l.StartsWith("::error file=" + dockerfile.Replace(":", "%3A") + ",line=2,title=RKD002", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("::warning file=", StringComparison.Ordinal) && l.Contains("line=5,title=RKD001", StringComparison.Ordinal));
        Assert.All(github.Information, i => Assert.Contains("PSHOST", i.Tags));

        var azure = ModuleHost.Run("try { $env:TF_BUILD = 'True'; Test-RenkuImageCompliance -Dockerfile $path } finally { [Environment]::SetEnvironmentVariable('TF_BUILD', $null) }", Vars(("path", dockerfile))).ShouldSucceed();
        Assert.Contains(azure.Information.Select(i => i.MessageData.ToString()!), l => l.StartsWith($"##vso[task.logissue type=error;sourcepath={dockerfile};linenumber=2;code=RKD002;]", StringComparison.Ordinal));

        var none = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $path", Vars(("path", dockerfile))).ShouldSucceed();
        Assert.Empty(none.Information);
    }
}
