using System.Text.Json;
using System.Xml.Linq;

using Renku.PowerShell.Compliance.Reports;

using Xunit;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Dockerfiles;

namespace Renku.PowerShell.Engine.Tests.Compliance;

public class ReportWriterTests
{
    private static ComplianceReport Report() => ComplianceEvaluator.Evaluate(new ComplianceRequest
    {
        Reference = ImageReference.Parse("ghcr.io/team/lab:latest"),
        Dockerfile = DockerfileDocument.Parse("FROM debian\nUSER root\n", Path.Combine(Path.GetTempPath(), "repo", "Dockerfile")),
        Settings = new SessionSettings { Name = "lab, \"quoted\"", Port = 65500 },
    });

    [Fact]
    public void JUnitCountsAddUp()
    {
        XDocument document = JUnitReportWriter.Create(new[] { Report(), Report() }, ComplianceFailOn.Warning, DateTimeOffset.UnixEpoch);
        XElement root = document.Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        Assert.Equal(root.Descendants("testcase").Count(), (int)root.Attribute("tests")!);
        Assert.Equal(root.Descendants("failure").Count(), (int)root.Attribute("failures")!);
        Assert.Equal(root.Descendants("skipped").Count(), (int)root.Attribute("skipped")!);
        Assert.Contains(root.Descendants("failure"), f => (string)f.Attribute("type")! == "Warning");
        Assert.Equal("1970-01-01T00:00:00", (string)root.Element("testsuite")!.Attribute("timestamp")!);
    }

    [Fact]
    public void SarifResultsReferenceTheirRules()
    {
        string text = SarifReportWriter.Create(new[] { Report() }, "0.1.0", Path.Combine(Path.GetTempPath(), "repo"));
        using JsonDocument sarif = JsonDocument.Parse(text);
        JsonElement run = sarif.RootElement.GetProperty("runs")[0];
        JsonElement[] rules = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().ToArray();
        Assert.Equal(ComplianceEvaluator.Rules.Count, rules.Length);
        foreach (JsonElement result in run.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(result.GetProperty("ruleId").GetString(), rules[result.GetProperty("ruleIndex").GetInt32()].GetProperty("id").GetString());
            Assert.Equal("Dockerfile", result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString());
        }

        Assert.Contains(run.GetProperty("results").EnumerateArray(), r => r.GetProperty("ruleId").GetString() == "RKC009" && r.GetProperty("level").GetString() == "error");
    }

    [Fact]
    public void AnnotationsEscapeWhatTheCiSystemsWouldMisread()
    {
        ComplianceReport report = Report();
        Assert.Equal("GitHubActions", CiAnnotations.Detect(n => n == "GITHUB_ACTIONS" ? "true" : null));
        Assert.Equal("AzurePipelines", CiAnnotations.Detect(n => n == "TF_BUILD" ? "True" : null));
        Assert.Null(CiAnnotations.Detect(_ => null));

        IReadOnlyList<string> github = CiAnnotations.For(report, "GitHubActions");
        Assert.Equal(report.Results.Count(r => r.Outcome == ComplianceOutcome.Fail), github.Count);
        Assert.All(github, l => Assert.Matches("^::(error|warning|notice) ", l));
        Assert.All(github, l => Assert.DoesNotContain("\n", l, StringComparison.Ordinal));
        Assert.Contains(github, l => l.StartsWith("::error file=", StringComparison.Ordinal) && l.Contains(",line=2,title=RKD004", StringComparison.Ordinal));

        IReadOnlyList<string> azure = CiAnnotations.For(report, "AzurePipelines");
        Assert.All(azure, l => Assert.Matches(@"^##vso\[task\.logissue type=(error|warning);[^\]]*\]", l));
    }
}
