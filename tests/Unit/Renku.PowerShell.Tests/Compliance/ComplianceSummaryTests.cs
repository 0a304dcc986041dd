using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>
/// Export-RenkuComplianceReport -Format Markdown in CI: the job summary of GitHub Actions
/// (GITHUB_STEP_SUMMARY) and the build summary of Azure Pipelines (TF_BUILD). The variables are
/// process-wide, so these run alone.
/// </summary>
[Collection(nameof(ProcessWideStateCollection))]
public class ComplianceSummaryTests
{
    private const string BadDockerfile = "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\nUSER root\n";
    private const string GoodDockerfile = "FROM debian:12\nUSER 1000\n";

    [Fact]
    public void GitHubGetsTheSummaryAppendedToItsStepSummary()
    {
        using var files = new ComplianceFiles();
        string bad = files.Write("Dockerfile", BadDockerfile);
        string good = files.Write("Dockerfile.good", GoodDockerfile);
        string summary = files.Write("step_summary.md", "# Build\n");
        string output = Path.Combine(files.Root, "compliance.md");
        var result = ModuleHost.Run(
            "try { $env:GITHUB_ACTIONS = 'true'; $env:GITHUB_STEP_SUMMARY = $summary; $bad, $good | ForEach-Object { Test-RenkuImageCompliance -Dockerfile $_ } | Export-RenkuComplianceReport -Format Markdown -Path $output -PassThru } finally { $env:GITHUB_ACTIONS = $null; $env:GITHUB_STEP_SUMMARY = $null }",
            new Dictionary<string, object?> { ["bad"] = bad, ["good"] = good, ["summary"] = summary, ["output"] = output }).ShouldSucceed();

        Assert.Equal(output, Assert.Single(result.Output).Properties["FullName"].Value);
        string markdown = File.ReadAllText(output);
        Assert.StartsWith("## Renku image compliance", markdown, StringComparison.Ordinal);
        Assert.Contains("| ❌ | `" + bad + "` |", markdown, StringComparison.Ordinal);
        Assert.Contains("| ✅ | `" + good + "` |", markdown, StringComparison.Ordinal);
        Assert.Contains("(Dockerfile line 2)", markdown.Replace("[", "(").Replace("]", ")"), StringComparison.Ordinal);
        Assert.Equal("# Build\n\n" + markdown, File.ReadAllText(summary));
    }

    [Fact]
    public void AzurePipelinesGetsTheUploadSummaryCommandForTheWrittenFile()
    {
        using var files = new ComplianceFiles();
        string bad = files.Write("Dockerfile", BadDockerfile);
        string output = Path.Combine(files.Root, "compliance.md");
        var result = ModuleHost.Run(
            "try { $env:TF_BUILD = 'True'; Test-RenkuImageCompliance -Dockerfile $bad | Export-RenkuComplianceReport -Format Markdown -Path $output } finally { $env:TF_BUILD = $null }",
            new Dictionary<string, object?> { ["bad"] = bad, ["output"] = output }).ShouldSucceed();

        System.Management.Automation.InformationRecord line = Assert.Single(result.Information, i => i.MessageData.ToString()!.StartsWith("##vso[task.uploadsummary]", StringComparison.Ordinal));
        Assert.Equal("##vso[task.uploadsummary]" + output, line.MessageData.ToString());
        Assert.Contains("PSHOST", line.Tags);
        Assert.True(File.Exists(output));

        // JUnit and SARIF are files for the CI system's own tasks: no summary.
        var junit = ModuleHost.Run(
            "try { $env:TF_BUILD = 'True'; Test-RenkuImageCompliance -Dockerfile $bad | Export-RenkuComplianceReport -Format JUnit -Path $output } finally { $env:TF_BUILD = $null }",
            new Dictionary<string, object?> { ["bad"] = bad, ["output"] = Path.Combine(files.Root, "out.xml") }).ShouldSucceed();
        Assert.DoesNotContain(junit.Information, i => i.MessageData.ToString()!.Contains("task.uploadsummary", StringComparison.Ordinal));
    }

    [Fact]
    public void FailOnUpstreamStillLeavesTheWholeSummaryInGitHub()
    {
        using var files = new ComplianceFiles();
        string good = files.Write("Dockerfile.good", GoodDockerfile);
        string bad = files.Write("Dockerfile", BadDockerfile);
        string summary = Path.Combine(files.Root, "step_summary.md");
        string output = Path.Combine(files.Root, "compliance.md");
        var result = ModuleHost.Run(
            "try { $env:GITHUB_STEP_SUMMARY = $summary; $good, $bad | ForEach-Object { Test-RenkuImageCompliance -Dockerfile $_ -FailOn Error } | Export-RenkuComplianceReport -Format Markdown -Path $output } finally { $env:GITHUB_STEP_SUMMARY = $null }",
            new Dictionary<string, object?> { ["good"] = good, ["bad"] = bad, ["summary"] = summary, ["output"] = output });

        Assert.Equal(new[] { "ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand" }, result.ErrorIds);
        string markdown = File.ReadAllText(output);
        Assert.Contains("1 of 2 images failed", markdown, StringComparison.Ordinal);
        Assert.Equal(markdown, File.ReadAllText(summary));
    }

    /// <summary>What an Azure DevOps agent reads: the command on pwsh's standard output, after the file is complete, even when -FailOn fails the step.</summary>
    [SkippableFact]
    public void InRealPwshTheAzureCommandIsPrintedWhenFailOnStopsThePipeline()
    {
        using var files = new ComplianceFiles();
        string good = files.Write("Dockerfile.good", GoodDockerfile);
        string bad = files.Write("Dockerfile", BadDockerfile);
        string output = Path.Combine(files.Root, "compliance.md");
        string log = Path.Combine(files.Root, "pwsh.log");
        string script = $@"Import-Module '{ModuleHost.Manifest}'
            $env:TF_BUILD = 'True'
            $ErrorActionPreference = 'Stop'  # as the PowerShell task of Azure Pipelines sets it
            '{good}', '{bad}' | ForEach-Object {{ Test-RenkuImageCompliance -Dockerfile $_ -FailOn Error }} | Export-RenkuComplianceReport -Format Markdown -Path '{output}'";
        using System.Diagnostics.Process pwsh = RealPwsh.Start(script, log);
        try
        {
            Assert.True(pwsh.WaitForExit(TimeSpan.FromMinutes(3)), "pwsh did not finish");
            string printed = File.ReadAllText(log);
            Assert.True(pwsh.ExitCode != 0, printed);
            Assert.Contains("failed Renku compliance", printed, StringComparison.Ordinal);
            Assert.Contains("##vso[task.uploadsummary]" + output + "\n", printed.Replace("\r", string.Empty), StringComparison.Ordinal);
            Assert.Contains("1 of 2 images failed", File.ReadAllText(output), StringComparison.Ordinal);
        }
        finally
        {
            if (!pwsh.HasExited)
            {
                pwsh.Kill(entireProcessTree: true);
            }
        }
    }
}
