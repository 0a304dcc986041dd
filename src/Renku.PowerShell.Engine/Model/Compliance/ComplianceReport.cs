namespace Renku.PowerShell;

/// <summary>The verdict on one image under one environment's settings: every rule's result and the counts.</summary>
public sealed class ComplianceReport
{
    /// <summary>The image judged: its full reference, else the archive path, else the Dockerfile.</summary>
    public string Image { get; init; } = string.Empty;

    public ImageReference? Reference { get; init; }

    /// <summary>The manifest digest of the image inspected, when known.</summary>
    public string? Digest { get; init; }

    /// <summary>Where the image's facts came from (Registry, Archive, Docker), or null when no image was read.</summary>
    public ImageSourceKind? Source { get; init; }

    /// <summary>The distribution found (<c>Ubuntu 24.04 LTS</c>).</summary>
    public string? Distribution { get; init; }

    /// <summary>The environment's name, or <c>(Renku defaults)</c>.</summary>
    public string Environment { get; init; } = string.Empty;

    /// <summary>The settings the image was judged under.</summary>
    public SessionSettings Settings { get; init; } = SessionSettings.RenkuDefaults;

    /// <summary>The working and mount directories Renku will use.</summary>
    public SessionLayout Layout { get; init; } = new();

    /// <summary>The policy's name.</summary>
    public string Policy { get; init; } = string.Empty;

    /// <summary>The Dockerfile checked, when one was given.</summary>
    public string? Dockerfile { get; init; }

    /// <summary>
    /// How the image was judged: <c>Interactive</c>, or <c>Job</c> for an environment of
    /// non-interactive launchers (or a check asked to run as a job), whose command runs to completion.
    /// </summary>
    public SessionKind SessionKind { get; init; } = SessionKind.Interactive;

    /// <summary>The session check, when one ran.</summary>
    public SessionCheck? Session { get; init; }

    /// <summary>Renku's own pull check of the image (<c>GET /sessions/images</c>), when it was asked and answered.</summary>
    public PlatformImageCheck? RenkuPullCheck { get; init; }

    /// <summary>
    /// True when Renku's own pull check changed a verdict: a result has another outcome than the
    /// module's own checks alone would give (see each result's <see cref="ComplianceResult.ChangedByRenkuPullCheck"/>).
    /// Check without it with <c>Test-RenkuImageCompliance -SkipRenkuPullCheck</c>.
    /// </summary>
    public bool RenkuPullCheckChanged => Results.Any(r => r.ChangedByRenkuPullCheck);

    /// <summary>The platforms the image offers (its registry index, else Renku's pull check); empty when unknown.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = Array.Empty<string>();

    /// <summary>Where the environment's launchers run (pool platforms), when they were read; else null.</summary>
    public IReadOnlyList<LaunchPlatform>? Launches { get; init; }

    public IReadOnlyList<ComplianceResult> Results { get; init; } = Array.Empty<ComplianceResult>();

    /// <summary>True when no Error rule failed.</summary>
    public bool Passed => ErrorCount == 0;

    /// <summary>Failed rules of severity Error.</summary>
    public int ErrorCount => CountFailed(ComplianceSeverity.Error);

    /// <summary>Failed rules of severity Warning.</summary>
    public int WarningCount => CountFailed(ComplianceSeverity.Warning);

    /// <summary>Failed rules of severity Info.</summary>
    public int InfoCount => CountFailed(ComplianceSeverity.Info);

    public int PassCount => Results.Count(r => r.Outcome == ComplianceOutcome.Pass);

    public int SkipCount => Results.Count(r => r.Outcome == ComplianceOutcome.Skip);

    /// <summary>Passed, PassedWithWarnings or Failed (an error failed).</summary>
    public ComplianceVerdict Verdict => ErrorCount > 0 ? ComplianceVerdict.Failed
        : WarningCount > 0 ? ComplianceVerdict.PassedWithWarnings
        : ComplianceVerdict.Passed;

    /// <summary>The ids of the rules that failed at Error or Warning severity, most severe first.</summary>
    public IReadOnlyList<string> FailingRules => Failures.Where(r => r.Severity >= ComplianceSeverity.Warning).Select(r => r.RuleId).Distinct(StringComparer.Ordinal).ToList();

    /// <summary>Failed rules of severity Error (the table's column; same as <see cref="ErrorCount"/>).</summary>
    public int Errors => ErrorCount;

    /// <summary>Failed rules of severity Warning (same as <see cref="WarningCount"/>).</summary>
    public int Warnings => WarningCount;

    /// <summary>Rules that could not be judged (same as <see cref="SkipCount"/>).</summary>
    public int Skipped => SkipCount;

    /// <summary>The failed results, most severe first.</summary>
    public IEnumerable<ComplianceResult> Failures => Results.Where(r => r.Outcome == ComplianceOutcome.Fail).OrderByDescending(r => r.Severity);

    /// <summary>Whether the report fails a pipeline step under <paramref name="failOn"/>.</summary>
    public bool FailsOn(ComplianceFailOn failOn) => FailuresAt(failOn).Any();

    /// <summary>
    /// The failed results that count under <paramref name="failOn"/>: errors for <c>Error</c>,
    /// errors and warnings for <c>Warning</c>, none for <c>Never</c>. Most severe first.
    /// </summary>
    public IEnumerable<ComplianceResult> FailuresAt(ComplianceFailOn failOn) => Failures.Where(r => r.FailsAt(failOn));

    public override string ToString() => $"{Image}: {(Passed ? "passed" : "failed")} ({ErrorCount} errors, {WarningCount} warnings)";

    private int CountFailed(ComplianceSeverity severity) => Results.Count(r => r.Outcome == ComplianceOutcome.Fail && r.Severity == severity);
}
