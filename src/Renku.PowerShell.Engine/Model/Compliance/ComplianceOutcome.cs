namespace Renku.PowerShell;

/// <summary>What a rule found.</summary>
public enum ComplianceOutcome
{
    Pass,
    Fail,

    /// <summary>The rule could not be judged (no image, no Dockerfile, no session check, ...); the message says why.</summary>
    Skip,
}
