namespace Renku.PowerShell.Kubernetes;

/// <summary>A final word on a check pod: the outcome and the Kubernetes reason behind it.</summary>
internal sealed record PodVerdict(SessionOutcome Outcome, string? Reason, string Message);
