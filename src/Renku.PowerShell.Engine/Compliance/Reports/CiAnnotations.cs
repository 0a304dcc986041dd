using System.Text;

namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// The log lines CI systems turn into annotations: GitHub Actions workflow commands
/// (<c>::error file=...,line=...::message</c>) when GITHUB_ACTIONS is true, Azure Pipelines
/// logging commands (<c>##vso[task.logissue type=error;...]message</c>) when TF_BUILD is true.
/// </summary>
public static class CiAnnotations
{
    /// <summary>The CI system named by the environment variables, or null.</summary>
    public static string? Detect(Func<string, string?> getVariable)
    {
        if (IsTrue(getVariable("GITHUB_ACTIONS")))
        {
            return "GitHubActions";
        }

        return IsTrue(getVariable("TF_BUILD")) ? "AzurePipelines" : null;
    }

    /// <summary>One line per failed rule of the report for <paramref name="system"/> (GitHubActions or AzurePipelines).</summary>
    public static IReadOnlyList<string> For(ComplianceReport report, string system)
    {
        var lines = new List<string>();
        foreach (ComplianceResult result in report.Results.Where(r => r.Outcome == ComplianceOutcome.Fail))
        {
            string file = result.File ?? report.Dockerfile ?? string.Empty;
            string message = $"[{report.Image}] {result.Message}" + (result.Remedy.Length > 0 ? " Remedy: " + result.Remedy : string.Empty);
            if (system == "GitHubActions")
            {
                string command = result.Severity switch { ComplianceSeverity.Error => "error", ComplianceSeverity.Warning => "warning", _ => "notice" };
                var properties = new List<string>();
                if (file.Length > 0)
                {
                    properties.Add("file=" + GitHubProperty(file));
                    if (result.Line is int line)
                    {
                        properties.Add("line=" + line);
                    }
                }

                properties.Add("title=" + GitHubProperty($"{result.RuleId} {result.RuleName}"));
                lines.Add($"::{command} {string.Join(",", properties)}::{GitHubData(message)}");
            }
            else
            {
                string type = result.Severity == ComplianceSeverity.Error ? "error" : "warning";
                var properties = new StringBuilder($"type={type};");
                if (file.Length > 0)
                {
                    properties.Append("sourcepath=").Append(AzureProperty(file)).Append(';');
                    if (result.Line is int line)
                    {
                        properties.Append("linenumber=").Append(line).Append(';');
                    }
                }

                properties.Append("code=").Append(result.RuleId).Append(';');
                lines.Add($"##vso[task.logissue {properties}]{AzureData(message)}");
            }
        }

        return lines;
    }

    private static bool IsTrue(string? value) => string.Equals(value, "true", StringComparison.OrdinalIgnoreCase) || value == "1";

    private static string GitHubData(string value) => value.Replace("%", "%25").Replace("\r", "%0D").Replace("\n", "%0A");

    private static string GitHubProperty(string value) => GitHubData(value).Replace(":", "%3A").Replace(",", "%2C");

    internal static string AzureData(string value) => value.Replace("%", "%AZP25").Replace("\r", "%AZP0D").Replace("\n", "%AZP0A");

    private static string AzureProperty(string value) => AzureData(value).Replace(";", "%AZP3B").Replace("]", "%AZP5D");
}
