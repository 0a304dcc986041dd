namespace Renku.PowerShell;

/// <summary>One rule's verdict on one image and environment.</summary>
public sealed class ComplianceResult
{
    /// <summary>The rule's stable id (<c>RKC001</c>).</summary>
    public string RuleId { get; init; } = string.Empty;

    /// <summary>The rule's stable name (<c>DistributionIsDebianOrUbuntu</c>).</summary>
    public string RuleName { get; init; } = string.Empty;

    /// <summary>Where the rule looks: Image, Environment, Registry, Dockerfile or Session.</summary>
    public string Category { get; init; } = string.Empty;

    /// <summary>The severity after the policy was applied.</summary>
    public ComplianceSeverity Severity { get; init; }

    public ComplianceOutcome Outcome { get; init; }

    /// <summary>What was found, and for a failure what to change.</summary>
    public string Message { get; init; } = string.Empty;

    /// <summary>How to fix a failure (empty when the rule passed).</summary>
    public string Remedy { get; init; } = string.Empty;

    /// <summary>The facts the verdict rests on (<c>os-release ID=alpine VERSION_ID=3.20</c>).</summary>
    public string Evidence { get; init; } = string.Empty;

    /// <summary>The file the finding points into (a Dockerfile), or null.</summary>
    public string? File { get; init; }

    /// <summary>The 1-based line in <see cref="File"/>, or null.</summary>
    public int? Line { get; init; }

    /// <summary>
    /// True when Renku's own pull check (<c>GET /sessions/images</c>, asked when connected) gave
    /// this result another outcome than the module's own checks alone would have.
    /// </summary>
    public bool ChangedByRenkuPullCheck { get; init; }

    /// <summary>
    /// Whether this result fails a pipeline step under <paramref name="failOn"/>: a failed error
    /// at <c>Error</c>, a failed error or warning at <c>Warning</c>, nothing at <c>Never</c>. The one
    /// place this rule lives (the cmdlets' -FailOn and the JUnit export use it).
    /// </summary>
    public bool FailsAt(ComplianceFailOn failOn) => Outcome == ComplianceOutcome.Fail && failOn switch
    {
        ComplianceFailOn.Error => Severity == ComplianceSeverity.Error,
        ComplianceFailOn.Warning => Severity is ComplianceSeverity.Error or ComplianceSeverity.Warning,
        _ => false,
    };

    public override string ToString() => $"{RuleId} {Outcome} {Severity}: {Message}";
}
