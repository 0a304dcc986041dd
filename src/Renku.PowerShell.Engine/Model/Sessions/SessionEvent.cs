namespace Renku.PowerShell;

/// <summary>One event the runtime recorded about the session check (a Kubernetes event of the check pod).</summary>
public sealed record SessionEvent(string? Type, string? Reason, string? Message, int Count, DateTimeOffset? LastSeen)
{
    public override string ToString() => $"{Type} {Reason}: {Message}";
}
