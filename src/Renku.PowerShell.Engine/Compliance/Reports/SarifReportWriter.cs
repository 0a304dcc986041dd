using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// SARIF 2.1.0 as GitHub code scanning reads it: one run, the whole rule catalog in
/// tool.driver.rules, one result per failed rule with a physical location (the Dockerfile line
/// when the finding has one, else the Dockerfile or the image) and the image as a logical location.
/// </summary>
public static class SarifReportWriter
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string Create(IReadOnlyList<ComplianceReport> reports, string toolVersion, string baseDirectory)
    {
        IReadOnlyList<ComplianceRule> rules = ComplianceEvaluator.Rules;
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("$schema", SchemaUri);
            json.WriteString("version", "2.1.0");
            json.WriteStartArray("runs");
            json.WriteStartObject();

            json.WriteStartObject("tool");
            json.WriteStartObject("driver");
            json.WriteString("name", "Renku.PowerShell");
            json.WriteString("fullName", "Renku.PowerShell image compliance (Test-RenkuImageCompliance)");
            json.WriteString("informationUri", "https://github.com/renku-powershell/Renku.PowerShell");
            json.WriteString("version", toolVersion);
            json.WriteStartArray("rules");
            foreach (ComplianceRule rule in rules)
            {
                json.WriteStartObject();
                json.WriteString("id", rule.Id);
                json.WriteString("name", rule.Name);
                json.WriteStartObject("shortDescription");
                json.WriteString("text", rule.Title);
                json.WriteEndObject();
                json.WriteStartObject("help");
                json.WriteString("text", rule.Remedy);
                json.WriteEndObject();
                json.WriteStartObject("defaultConfiguration");
                json.WriteString("level", Level(rule.DefaultSeverity));
                json.WriteEndObject();
                json.WriteStartObject("properties");
                json.WriteString("category", rule.Category);
                json.WriteStartArray("tags");
                json.WriteStringValue("renku");
                json.WriteStringValue(rule.Category.ToLowerInvariant());
                json.WriteEndArray();
                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();

            json.WriteStartArray("results");
            foreach (ComplianceReport report in reports)
            {
                foreach (ComplianceResult result in report.Results.Where(r => r.Outcome == ComplianceOutcome.Fail))
                {
                    int ruleIndex = IndexOf(rules, result.RuleId);
                    json.WriteStartObject();
                    json.WriteString("ruleId", result.RuleId);
                    if (ruleIndex >= 0)
                    {
                        json.WriteNumber("ruleIndex", ruleIndex);
                    }

                    json.WriteString("level", Level(result.Severity));
                    json.WriteStartObject("message");
                    json.WriteString("text", $"[{report.Image}] {result.Message}" + (result.Remedy.Length > 0 ? " Remedy: " + result.Remedy : string.Empty));
                    json.WriteEndObject();

                    json.WriteStartArray("locations");
                    json.WriteStartObject();
                    json.WriteStartObject("physicalLocation");
                    json.WriteStartObject("artifactLocation");
                    string? file = result.File ?? report.Dockerfile;
                    json.WriteString("uri", file is null ? ImageUri(report.Image) : FileUri(file, baseDirectory));
                    json.WriteEndObject();
                    json.WriteStartObject("region");
                    json.WriteNumber("startLine", result.Line ?? 1);
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteStartArray("logicalLocations");
                    json.WriteStartObject();
                    json.WriteString("name", report.Image);
                    json.WriteString("kind", "resource");
                    json.WriteEndObject();
                    json.WriteEndArray();
                    json.WriteEndObject();
                    json.WriteEndArray();

                    json.WriteStartObject("partialFingerprints");
                    json.WriteString("renkuImageRule/v1", $"{report.Image}|{report.Environment}|{result.RuleId}");
                    json.WriteEndObject();

                    json.WriteStartObject("properties");
                    json.WriteString("image", report.Image);
                    if (report.Digest is not null)
                    {
                        json.WriteString("digest", report.Digest);
                    }

                    json.WriteString("environment", report.Environment);
                    json.WriteString("severity", result.Severity.ToString());
                    json.WriteString("evidence", result.Evidence);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static void Write(IReadOnlyList<ComplianceReport> reports, string toolVersion, string path, string baseDirectory) =>
        File.WriteAllText(path, Create(reports, toolVersion, baseDirectory), new UTF8Encoding(false));

    internal static string Level(ComplianceSeverity severity) => severity switch
    {
        ComplianceSeverity.Error => "error",
        ComplianceSeverity.Warning => "warning",
        _ => "note",
    };

    private static int IndexOf(IReadOnlyList<ComplianceRule> rules, string id)
    {
        for (int i = 0; i < rules.Count; i++)
        {
            if (rules[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>A path under the base directory becomes a relative URI (what code scanning maps to the repository); others an absolute file URI.</summary>
    private static string FileUri(string file, string baseDirectory)
    {
        string full = Path.GetFullPath(file);
        string relative = Path.GetRelativePath(baseDirectory, full);
        if (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative))
        {
            return string.Join('/', relative.Split(Path.DirectorySeparatorChar).Select(Uri.EscapeDataString));
        }

        return new Uri(full).AbsoluteUri;
    }

    private static string ImageUri(string image) => string.Join('/', image.Split('/').Select(Uri.EscapeDataString));
}
