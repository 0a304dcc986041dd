using System.Globalization;
using System.Text;

namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// A compliance summary for people, in the Markdown GitHub job summaries and Azure DevOps build
/// summaries render (CommonMark with pipe tables): a verdict line, one table row per image, then
/// each failing image's failed rules with their remedy and, where the finding points into a
/// Dockerfile, a link to the line.
/// </summary>
public static class MarkdownReportWriter
{
    /// <summary>
    /// The most a GitHub job summary takes from one step (1 MiB); a summary for the step is cut
    /// to its table of images above this.
    /// </summary>
    public const int StepSummaryLimit = 1024 * 1024;

    public const string Title = "Renku image compliance";

    /// <param name="failOn">Which failed rules fail an image (as for JUnit); lesser failures are listed as findings.</param>
    /// <param name="links">Where Dockerfile lines link to.</param>
    /// <param name="tableOnly">Leave out the rules section (for a summary that must stay small).</param>
    public static string Create(IReadOnlyList<ComplianceReport> reports, ComplianceFailOn failOn, SourceLinks links, bool tableOnly = false)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ArgumentNullException.ThrowIfNull(links);
        var text = new StringBuilder();
        text.Append("## ").Append(Title).Append("\n\n");

        int failed = reports.Count(r => r.FailsOn(failOn));
        int errors = reports.Sum(r => r.ErrorCount);
        int warnings = reports.Sum(r => r.WarningCount);
        string verdict = failed == 0
            ? $"**{Count(reports.Count, "image")} passed**"
            : $"**{failed} of {Count(reports.Count, "image")} failed**";
        string policies = string.Join(", ", reports.Select(r => r.Policy).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).Select(p => Code(p)));
        text.Append(verdict)
            .Append(" (failing at ").Append(failOn == ComplianceFailOn.Never ? "no level" : failOn.ToString()).Append("): ")
            .Append(Count(errors, "error")).Append(", ").Append(Count(warnings, "warning"))
            .Append(policies.Length > 0 ? ", policy " + policies : string.Empty)
            .Append(".\n\n");

        if (reports.Count > 0)
        {
            text.Append("| | Image | Environment | Verdict | Errors | Warnings |\n");
            text.Append("|---|---|---|---|---:|---:|\n");
            foreach (ComplianceReport report in reports)
            {
                text.Append("| ").Append(Mark(report, failOn))
                    .Append(" | ").Append(Code(report.Image, inTable: true))
                    .Append(" | ").Append(Cell(report.Environment))
                    .Append(" | ").Append(Verdict(report, failOn))
                    .Append(" | ").Append(report.ErrorCount.ToString(CultureInfo.InvariantCulture))
                    .Append(" | ").Append(report.WarningCount.ToString(CultureInfo.InvariantCulture))
                    .Append(" |\n");
            }

            text.Append('\n');
        }

        List<ComplianceReport> withFindings = reports.Where(r => r.Failures.Any()).ToList();
        if (tableOnly || withFindings.Count == 0)
        {
            return text.ToString();
        }

        text.Append("### Failed rules\n\n");
        foreach (ComplianceReport report in withFindings)
        {
            text.Append("#### ").Append(Mark(report, failOn)).Append(' ').Append(Code(report.Image));
            if (report.Environment.Length > 0)
            {
                text.Append(" (").Append(Inline(report.Environment)).Append(')');
            }

            text.Append("\n\n");
            foreach (ComplianceResult result in report.Failures)
            {
                text.Append("- **").Append(result.RuleId).Append(' ').Append(Inline(result.RuleName)).Append("** (")
                    .Append(result.Severity).Append(result.FailsAt(failOn) ? ", fails" : string.Empty).Append("): ")
                    .Append(Inline(result.Message));
                string? file = result.File ?? (result.Category == "Dockerfile" ? report.Dockerfile : null);
                if (file is not null)
                {
                    string where = Path.GetFileName(file) + (result.Line is int line ? " line " + line.ToString(CultureInfo.InvariantCulture) : string.Empty);
                    string? target = links.To(file, result.Line);
                    text.Append(' ').Append(target is null ? "(" + Inline(where) + ")" : $"([{Inline(where)}]({LinkDestination(target)}))");
                }

                text.Append('\n');
                if (result.Remedy.Length > 0)
                {
                    text.Append("  - Remedy: ").Append(Inline(result.Remedy)).Append('\n');
                }
            }

            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The summary for a CI step: the whole report, or its table alone when the whole would pass the step summary limit.</summary>
    public static string ForStepSummary(IReadOnlyList<ComplianceReport> reports, ComplianceFailOn failOn, SourceLinks links, string? fullReportPath)
    {
        string full = Create(reports, failOn, links);
        if (Encoding.UTF8.GetByteCount(full) <= StepSummaryLimit)
        {
            return full;
        }

        string table = Create(reports, failOn, links, tableOnly: true);
        return table + (fullReportPath is null ? "The failed rules are left out: the whole summary is larger than a job summary may be.\n"
            : $"The failed rules are left out: the whole summary is larger than a job summary may be. They are in {Code(Path.GetFileName(fullReportPath))}.\n");
    }

    private static string Mark(ComplianceReport report, ComplianceFailOn failOn) =>
        report.FailsOn(failOn) ? "❌" : report.Failures.Any(r => r.Severity >= ComplianceSeverity.Warning) ? "⚠️" : "✅";

    private static string Verdict(ComplianceReport report, ComplianceFailOn failOn)
    {
        if (report.FailsOn(failOn))
        {
            return "Failed: " + string.Join(", ", report.FailuresAt(failOn).Select(r => r.RuleId).Distinct(StringComparer.Ordinal));
        }

        List<string> findings = report.Failures.Where(r => r.Severity >= ComplianceSeverity.Warning).Select(r => r.RuleId).Distinct(StringComparer.Ordinal).ToList();
        return findings.Count > 0 ? "Passed with warnings: " + string.Join(", ", findings) : "Passed";
    }

    private static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    /// <summary>Text inside a table cell: inline escapes, and a pipe never ends the cell.</summary>
    private static string Cell(string value) => value.Length == 0 ? "(none)" : Inline(value);

    /// <summary>
    /// Text that Markdown shows as written: every ASCII punctuation character that could start
    /// markup is backslash-escaped (CommonMark allows escaping any of them), line breaks become
    /// spaces, so a message never opens a list, a link, HTML or a table cell.
    /// </summary>
    internal static string Inline(string value)
    {
        var text = new StringBuilder(value.Length + 8);
        foreach (char c in value)
        {
            if (c is '\r' or '\n')
            {
                text.Append(' ');
            }
            else if (c is '\\' or '`' or '*' or '_' or '{' or '}' or '[' or ']' or '<' or '>' or '(' or ')' or '#' or '+' or '-' or '!' or '|' or '~' or '&' or '"')
            {
                text.Append('\\').Append(c);
            }
            else
            {
                text.Append(c);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// A code span that holds <paramref name="value"/> exactly: fenced with one more backtick than
    /// the longest run inside it. In a table cell a pipe is escaped, as GitHub splits cells on it
    /// even inside code (and takes the escape back out).
    /// </summary>
    internal static string Code(string value, bool inTable = false)
    {
        string flat = value.Replace('\r', ' ').Replace('\n', ' ');
        int longest = 0, run = 0;
        foreach (char c in flat)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }

        string fence = new('`', longest + 1);
        string pad = flat.StartsWith('`') || flat.EndsWith('`') ? " " : string.Empty;
        return fence + pad + (inTable ? flat.Replace("|", "\\|", StringComparison.Ordinal) : flat) + pad + fence;
    }

    /// <summary>A link destination in angle brackets, so spaces and parentheses need no escaping.</summary>
    private static string LinkDestination(string target) => "<" + target.Replace("<", "%3C", StringComparison.Ordinal).Replace(">", "%3E", StringComparison.Ordinal).Replace(" ", "%20", StringComparison.Ordinal) + ">";
}
