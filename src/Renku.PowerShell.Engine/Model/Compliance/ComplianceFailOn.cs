namespace Renku.PowerShell;

/// <summary>Which failed rules make a report count as failed for a pipeline step.</summary>
public enum ComplianceFailOn
{
    /// <summary>Any failed Error rule.</summary>
    Error,

    /// <summary>Any failed Error or Warning rule.</summary>
    Warning,

    /// <summary>Never fail the step; only report.</summary>
    Never,
}
