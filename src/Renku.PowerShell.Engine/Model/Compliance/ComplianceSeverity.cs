namespace Renku.PowerShell;

/// <summary>How much a failed rule matters. A report fails on any failed Error rule.</summary>
public enum ComplianceSeverity
{
    Info,
    Warning,
    Error,
}
