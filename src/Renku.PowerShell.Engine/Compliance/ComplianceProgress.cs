namespace Renku.PowerShell.Compliance;

/// <summary>A status line from one of several checks in flight, with how many are finished.</summary>
public sealed record ComplianceProgress(int Done, int Total, string Message);
