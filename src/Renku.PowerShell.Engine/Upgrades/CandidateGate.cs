using Renku.PowerShell.Compliance;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// Checks the candidate of each upgrade row (never the current image) against Renku's rules, with
/// the settings of the environment it would run under (the environment's, the environments file
/// entry's, or Renku's documented settings for a Dockerfile or a plain image). The verdict is kept
/// on the row: <see cref="ImageUpgrade.CandidatePassed"/>, its failed rules and its report. A
/// candidate that could not be checked counts as not passed, so a gate never lets an unknown through.
/// </summary>
public static class CandidateGate
{
    /// <summary>Checks every row that has a candidate and no verdict yet, at most <paramref name="throttle"/> at once.</summary>
    public static async Task CheckAsync(IReadOnlyList<ImageUpgrade> rows, ImageInspector inspector, CompliancePolicy policy, int throttle, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(inspector);
        List<ImageUpgrade> pending = rows.Where(r => r.CandidateImage is not null && r.CandidatePassed is null).ToList();
        if (pending.Count == 0)
        {
            return;
        }

        List<ComplianceJob> jobs = pending.Select(row => new ComplianceJob
        {
            Image = row.CandidateImage,
            Source = ComplianceImageSource.Registry,
            Settings = row.Settings ?? SessionSettings.RenkuDefaults,
            Policy = policy ?? CompliancePolicy.Default,
        }).ToList();

        var runner = new ComplianceRunner(inspector);
        await runner.CheckAllAsync(
            jobs,
            Math.Max(1, throttle),
            (index, report, failure) => Record(pending[index], report, failure),
            null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Keeps a verdict on the row: the report's, or "not checked" with the reason.</summary>
    internal static void Record(ImageUpgrade row, ComplianceReport? report, Exception? failure)
    {
        if (report is not null)
        {
            row.CandidateCheck = report;
            row.CandidatePassed = report.Passed;
            row.CandidateFailedRules = report.Failures.Where(f => f.Severity == ComplianceSeverity.Error).Select(f => f.RuleId).Distinct(StringComparer.Ordinal).ToArray();
            row.CandidateCheckMessage = report.Passed
                ? null
                : string.Join("; ", report.Failures.Where(f => f.Severity == ComplianceSeverity.Error).Select(f => $"{f.RuleId} {f.Message}"));
            return;
        }

        row.CandidatePassed = false;
        row.CandidateFailedRules = Array.Empty<string>();
        row.CandidateCheckMessage = $"The candidate could not be checked: {failure?.Message ?? "no report"}";
    }
}
