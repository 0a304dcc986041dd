namespace Renku.PowerShell.Kubernetes;

/// <summary>One Kubernetes event about the check pod.</summary>
public sealed record ClusterEvent(string? Type, string? Reason, string? Message, int Count, DateTimeOffset? LastSeen)
{
    public override string ToString() => $"{Type} {Reason}: {Message}";
}
