using System.Globalization;
using System.Xml.Linq;

namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// JUnit XML as Azure DevOps PublishTestResults (testResultsFormat: JUnit) and most CI systems read
/// it: one testsuite per report, one testcase per rule; failed rules at or above the
/// <c>FailOn</c> level are failures, skipped rules are skipped, lesser failures pass with their
/// finding in system-out.
/// </summary>
public static class JUnitReportWriter
{
    public static XDocument Create(IReadOnlyList<ComplianceReport> reports, ComplianceFailOn failOn, DateTimeOffset timestamp)
    {
        var suites = new List<XElement>();
        int totalTests = 0, totalFailures = 0, totalSkipped = 0;
        int index = 0;
        foreach (ComplianceReport report in reports)
        {
            var cases = new List<XElement>();
            int failures = 0, skipped = 0;
            foreach (ComplianceResult result in report.Results)
            {
                var testCase = new XElement(
                    "testcase",
                    new XAttribute("name", $"{result.RuleId} {result.RuleName}"),
                    new XAttribute("classname", $"Renku.Compliance.{result.Category}"),
                    new XAttribute("time", "0"));
                if (result.Outcome == ComplianceOutcome.Skip)
                {
                    skipped++;
                    testCase.Add(new XElement("skipped", new XAttribute("message", result.Message)));
                }
                else if (result.FailsAt(failOn))
                {
                    failures++;
                    testCase.Add(new XElement(
                        "failure",
                        new XAttribute("message", result.Message),
                        new XAttribute("type", result.Severity.ToString()),
                        Details(result)));
                }
                else if (result.Outcome == ComplianceOutcome.Fail)
                {
                    testCase.Add(new XElement("system-out", $"{result.Severity}: {result.Message}\n{Details(result)}"));
                }

                cases.Add(testCase);
            }

            totalTests += cases.Count;
            totalFailures += failures;
            totalSkipped += skipped;
            var properties = new XElement(
                "properties",
                Property("image", report.Image),
                Property("digest", report.Digest),
                Property("environment", report.Environment),
                Property("policy", report.Policy),
                Property("dockerfile", report.Dockerfile),
                Property("passed", report.Passed ? "true" : "false"));
            suites.Add(new XElement(
                "testsuite",
                new XAttribute("id", index++),
                new XAttribute("name", $"{report.Image} [{report.Environment}]"),
                new XAttribute("package", "Renku.Compliance"),
                new XAttribute("tests", cases.Count),
                new XAttribute("failures", failures),
                new XAttribute("errors", 0),
                new XAttribute("skipped", skipped),
                new XAttribute("time", Seconds(report.Session?.Duration ?? TimeSpan.Zero)),
                new XAttribute("timestamp", timestamp.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture)),
                new XAttribute("hostname", Environment.MachineName),
                properties,
                cases));
        }

        return new XDocument(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                "testsuites",
                new XAttribute("name", "Renku image compliance"),
                new XAttribute("tests", totalTests),
                new XAttribute("failures", totalFailures),
                new XAttribute("errors", 0),
                new XAttribute("skipped", totalSkipped),
                new XAttribute("time", Seconds(TimeSpan.FromTicks(reports.Sum(r => r.Session?.Duration.Ticks ?? 0)))),
                suites));
    }

    public static void Write(IReadOnlyList<ComplianceReport> reports, ComplianceFailOn failOn, string path)
    {
        XDocument document = Create(reports, failOn, DateTimeOffset.UtcNow);
        using var stream = File.Create(path);
        document.Save(stream);
    }

    private static string Details(ComplianceResult result)
    {
        var lines = new List<string> { result.Message };
        if (result.Remedy.Length > 0)
        {
            lines.Add("Remedy: " + result.Remedy);
        }

        if (result.Evidence.Length > 0)
        {
            lines.Add("Evidence: " + result.Evidence);
        }

        if (result.File is not null)
        {
            lines.Add($"At: {result.File}:{result.Line}");
        }

        return string.Join("\n", lines);
    }

    private static XElement? Property(string name, string? value) =>
        value is null ? null : new XElement("property", new XAttribute("name", name), new XAttribute("value", value));

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
}
