using System.Text.Json;
using System.Xml.Linq;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

public class ExportRenkuComplianceReportTests
{
    private const string Dockerfile =
        "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\n" +
        "USER root\n" +
        "CMD [\"bash\"]\n";

    [Fact]
    public void JUnitHasTheShapePublishTestResultsReads()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", Dockerfile);
        string good = files.Write("Dockerfile.good", "FROM debian:12\nUSER 1000\n");
        string output = Path.Combine(files.Root, "out.xml");
        var result = ModuleHost.Run(
            "$dockerfile, $good | ForEach-Object { Test-RenkuImageCompliance -Dockerfile $_ } | Export-RenkuComplianceReport -Format JUnit -Path $output -PassThru",
            new Dictionary<string, object?> { ["dockerfile"] = dockerfile, ["good"] = good, ["output"] = output }).ShouldSucceed();
        Assert.Equal(output, Assert.Single(result.Output).Properties["FullName"].Value);

        XElement root = XDocument.Load(output).Root!;
        Assert.Equal("testsuites", root.Name.LocalName);
        XElement[] suites = root.Elements("testsuite").ToArray();
        Assert.Equal(2, suites.Length);
        foreach (XElement suite in suites)
        {
            XElement[] cases = suite.Elements("testcase").ToArray();
            Assert.Equal(cases.Length, (int)suite.Attribute("tests")!);
            Assert.Equal(cases.Count(c => c.Element("failure") is not null), (int)suite.Attribute("failures")!);
            Assert.Equal(cases.Count(c => c.Element("skipped") is not null), (int)suite.Attribute("skipped")!);
            Assert.All(cases, c => Assert.False(string.IsNullOrEmpty((string?)c.Attribute("name"))));
            Assert.All(cases, c => Assert.False(string.IsNullOrEmpty((string?)c.Attribute("classname"))));
            Assert.NotNull(suite.Attribute("timestamp"));
        }

        XElement failure = suites[0].Elements("testcase").Single(c => ((string)c.Attribute("name")!).StartsWith("RKD002", StringComparison.Ordinal)).Element("failure")!;
        Assert.Equal("Error", (string?)failure.Attribute("type"));
        Assert.Contains("Remedy:", failure.Value, StringComparison.Ordinal);
        Assert.Equal(0, (int)suites[1].Attribute("failures")!);
        Assert.Equal(suites.Sum(s => (int)s.Attribute("tests")!), (int)root.Attribute("tests")!);

        // RKD001 is a warning: under the default -FailOn Error it is not a failure but is reported.
        XElement warning = suites[0].Elements("testcase").Single(c => ((string)c.Attribute("name")!).StartsWith("RKD001", StringComparison.Ordinal));
        Assert.Null(warning.Element("failure"));
        Assert.Contains("Warning:", warning.Element("system-out")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void TheFileHoldsEveryReportEvenWhenFailOnStopsThePipeline()
    {
        using var files = new ComplianceFiles();
        string good = files.Write("Dockerfile.good", "FROM debian:12\nUSER 1000\n");
        string bad = files.Write("Dockerfile", Dockerfile);
        string output = Path.Combine(files.Root, "out.xml");
        var result = ModuleHost.Run(
            "$good, $bad | ForEach-Object { Test-RenkuImageCompliance -Dockerfile $_ -FailOn Error } | Export-RenkuComplianceReport -Format JUnit -Path $output",
            new Dictionary<string, object?> { ["good"] = good, ["bad"] = bad, ["output"] = output });

        Assert.Equal(new[] { "ComplianceFailed,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand" }, result.ErrorIds);
        XElement root = XDocument.Load(output).Root!;
        XElement[] suites = root.Elements("testsuite").ToArray();
        Assert.Equal(2, suites.Length);
        Assert.Equal(0, (int)suites[0].Attribute("failures")!);
        Assert.True((int)suites[1].Attribute("failures")! > 0);
        Assert.Equal(new[] { "out.xml" }, Directory.GetFiles(files.Root, "out.xml*").Select(Path.GetFileName).ToArray());
    }

    [Fact]
    public void SarifIs210WithRulesAndLocatedResults()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", Dockerfile);
        string output = Path.Combine(files.Root, "out.sarif");
        ModuleHost.Run(
            "$ExecutionContext.SessionState.Path.SetLocation($root) | ForEach-Object { }; Test-RenkuImageCompliance -Dockerfile $dockerfile | Export-RenkuComplianceReport -Format Sarif -Path $output",
            new Dictionary<string, object?> { ["dockerfile"] = dockerfile, ["output"] = output, ["root"] = files.Root }).ShouldSucceed();

        using JsonDocument sarif = JsonDocument.Parse(File.ReadAllText(output));
        JsonElement rootElement = sarif.RootElement;
        Assert.Equal("2.1.0", rootElement.GetProperty("version").GetString());
        Assert.Contains("sarif-2.1.0", rootElement.GetProperty("$schema").GetString(), StringComparison.Ordinal);
        JsonElement run = Assert.Single(rootElement.GetProperty("runs").EnumerateArray());
        JsonElement driver = run.GetProperty("tool").GetProperty("driver");
        Assert.Equal("Renku.PowerShell", driver.GetProperty("name").GetString());
        string[] ruleIds = driver.GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()!).ToArray();
        Assert.Contains("RKD002", ruleIds);
        Assert.All(driver.GetProperty("rules").EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("shortDescription").GetProperty("text").GetString())));

        JsonElement[] results = run.GetProperty("results").EnumerateArray().ToArray();
        Assert.NotEmpty(results);
        foreach (JsonElement result in results)
        {
            string ruleId = result.GetProperty("ruleId").GetString()!;
            Assert.Equal(ruleId, ruleIds[result.GetProperty("ruleIndex").GetInt32()]);
            Assert.Contains(result.GetProperty("level").GetString(), new[] { "error", "warning", "note" });
            Assert.False(string.IsNullOrEmpty(result.GetProperty("message").GetProperty("text").GetString()));
            JsonElement physical = Assert.Single(result.GetProperty("locations").EnumerateArray()).GetProperty("physicalLocation");
            Assert.Equal("Dockerfile", physical.GetProperty("artifactLocation").GetProperty("uri").GetString());
            Assert.True(physical.GetProperty("region").GetProperty("startLine").GetInt32() >= 1);
        }

        JsonElement user = results.Single(r => r.GetProperty("ruleId").GetString() == "RKD002");
        Assert.Equal("error", user.GetProperty("level").GetString());
        Assert.Equal(2, user.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("region").GetProperty("startLine").GetInt32());
    }

    [Fact]
    public void AMissingFolderOrNoClobberStopsWithoutWriting()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", Dockerfile);
        string existing = files.Write("existing.xml", "keep");
        var missing = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $d | Export-RenkuComplianceReport -Format JUnit -Path $p", new Dictionary<string, object?> { ["d"] = dockerfile, ["p"] = Path.Combine(files.Root, "no", "such", "out.xml") });
        Assert.Equal(new[] { "ReportPathInvalid,Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand" }, missing.ErrorIds);

        var clobber = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $d | Export-RenkuComplianceReport -Format Sarif -Path $p -NoClobber", new Dictionary<string, object?> { ["d"] = dockerfile, ["p"] = existing });
        Assert.Equal(new[] { "ReportFileExists,Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand" }, clobber.ErrorIds);
        Assert.Equal("keep", File.ReadAllText(existing));

        ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $d | Export-RenkuComplianceReport -Format Sarif -Path $p -WhatIf", new Dictionary<string, object?> { ["d"] = dockerfile, ["p"] = existing }).ShouldSucceed();
        Assert.Equal("keep", File.ReadAllText(existing));
    }
}
