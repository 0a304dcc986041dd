using Renku.PowerShell.Compliance;

namespace Renku.PowerShell.Compliance;

/// <summary>
/// Judges an image (as inspected), its environment settings, a Dockerfile and a session check
/// against the rules of a policy. Pure: it reads nothing and starts nothing, so callers can
/// feed it from a registry, an archive, a Docker engine or a Kubernetes runtime.
/// </summary>
public static class ComplianceEvaluator
{
    /// <summary>The rule catalog, in report order.</summary>
    public static IReadOnlyList<ComplianceRule> Rules => RuleCatalog.All;

    /// <summary>Runs every rule the policy enables and returns the report.</summary>
    public static ComplianceReport Evaluate(ComplianceRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = new ComplianceContext(request);

        // With Renku's answer, each rule is also judged without it, so the report can say which
        // verdicts Renku's pull check changed (the rules are pure and cheap).
        ComplianceContext? alone = request.PlatformCheck is null ? null : new ComplianceContext(request.WithoutPlatformCheck());
        var results = new List<ComplianceResult>();
        foreach (ComplianceRule rule in RuleCatalog.All)
        {
            if (!request.Policy.IsEnabled(rule))
            {
                continue;
            }

            RuleVerdict verdict = rule.Evaluate(context);
            bool changed = alone is not null && rule.Evaluate(alone).Outcome != verdict.Outcome;
            results.Add(new ComplianceResult
            {
                RuleId = rule.Id,
                RuleName = rule.Name,
                Category = rule.Category,
                Severity = request.Policy.SeverityOf(rule),
                Outcome = verdict.Outcome,
                Message = verdict.Message,
                Remedy = verdict.Outcome == ComplianceOutcome.Fail ? verdict.Remedy ?? rule.Remedy : string.Empty,
                Evidence = verdict.Evidence,
                File = verdict.File,
                Line = verdict.Line,
                ChangedByRenkuPullCheck = changed,
            });
        }

        ImageReference? reference = request.Reference ?? request.Image?.Reference;
        return new ComplianceReport
        {
            Image = reference?.FullName ?? request.Image?.Path ?? request.Dockerfile?.Path ?? "(none)",
            Reference = reference,
            Digest = request.Image?.Digest ?? reference?.Digest,
            Source = request.Image?.Source,
            Distribution = request.Image?.OsPrettyName ?? (request.Image?.OsId is null ? null : $"{request.Image.OsId} {request.Image.OsVersion}".Trim()),
            Environment = request.Settings.ToString(),
            Settings = request.Settings,
            Layout = context.Layout,
            Policy = request.Policy.Name,
            Dockerfile = request.Dockerfile?.Path,
            SessionKind = request.Kind,
            Session = request.Session,
            RenkuPullCheck = request.PlatformCheck,
            Platforms = Platforms.LaunchPlatforms.OfferedBy(request.Image, request.PlatformCheck).Select(p => p.ToString()).ToList(),
            Launches = request.Launches,
            Results = results,
        };
    }
}
