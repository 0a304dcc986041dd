using Renku.PowerShell.Compliance;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>
/// A FROM whose variable has no value: the rules say which variable and why, and none of them
/// names an empty image.
/// </summary>
public class UnsetBaseVariableTests
{
    private static ComplianceReport Check(string dockerfile) =>
        ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Settings = SessionSettings.RenkuDefaults,
            Dockerfile = DockerfileDocument.Parse(dockerfile, "/src/Dockerfile"),
            Policy = CompliancePolicy.Default,
        });

    [Fact]
    public void AnUndeclaredVariableSaysNoArgDeclaresIt()
    {
        ComplianceReport report = Check("FROM ${VALUE}\nUSER renku\n");
        ComplianceResult pinned = report.Results.Single(r => r.RuleId == "RKD003");
        Assert.Equal(ComplianceOutcome.Fail, pinned.Outcome);
        Assert.Contains("`${VALUE}` has no value: no ARG declares it", pinned.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("resolves to", pinned.Message, StringComparison.Ordinal);
        Assert.Equal(1, pinned.Line);
    }

    [Fact]
    public void ADeclaredVariableWithoutDefaultSaysSo()
    {
        ComplianceReport report = Check("ARG TAG\nFROM python:${TAG}\n");
        ComplianceResult pinned = report.Results.Single(r => r.RuleId == "RKD003");
        Assert.Equal(ComplianceOutcome.Fail, pinned.Outcome);
        Assert.Contains("`${TAG}` has no value: its ARG has no default", pinned.Message, StringComparison.Ordinal);

        // A value given to the reader, or a default in the reference, is a value.
        var given = DockerfileDocument.Parse("ARG TAG\nFROM python:${TAG}\n", "/src/Dockerfile", new Dictionary<string, string> { ["TAG"] = "3.12" });
        Assert.Empty(given.Stages[0].UnsetVariables);
        Assert.Empty(DockerfileDocument.Parse("FROM python:${TAG:-3.12}\n", "/src/Dockerfile").Stages[0].UnsetVariables);
        Assert.Empty(DockerfileDocument.Parse("ARG TAG=3.12\nFROM python:$TAG\n", "/src/Dockerfile").Stages[0].UnsetVariables);
    }

    [Theory]
    [InlineData("FROM ${VALUE}\n")]
    [InlineData("FROM ${VALUE}\nUSER root\n")]
    [InlineData("FROM $BASE AS build\nFROM build\nCMD [\"x\"]\n")]
    public void NoRulePrintsAnEmptyImageName(string dockerfile)
    {
        ComplianceReport report = Check(dockerfile);
        foreach (ComplianceResult result in report.Results)
        {
            Assert.DoesNotContain("()", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("user of ;", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("user of .", result.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("FROM ;", result.Evidence ?? string.Empty, StringComparison.Ordinal);
            Assert.False((result.Evidence ?? string.Empty).TrimEnd().EndsWith("FROM", StringComparison.Ordinal), result.Evidence);
        }

        foreach (string id in new[] { "RKD001", "RKD002" })
        {
            ComplianceResult rule = report.Results.Single(r => r.RuleId == id);
            Assert.Equal(ComplianceOutcome.Skip, rule.Outcome);
            Assert.Contains("has no value: no ARG declares it", rule.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnUpgradeAuditOfSuchAFromSaysWhyInsteadOfAnEmptyImage()
    {
        string path = Path.Combine(Path.GetTempPath(), "renku-unset-" + Guid.NewGuid().ToString("N") + ".Dockerfile");
        File.WriteAllText(path, "FROM ${VALUE}\n");
        try
        {
            UpgradeInput input = Assert.Single(UpgradeInputReader.FromDockerfile(path));
            Assert.Equal("${VALUE}", input.Image);
            Assert.Equal("`${VALUE}` has no value: no ARG declares it", input.Unresolved);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
