namespace Renku.PowerShell.Kubernetes;

/// <summary>The pod a cluster session check would create, for -WhatIf and for the report.</summary>
public sealed class ClusterCheckPlan
{
    public required string PodName { get; init; }

    public required string Namespace { get; init; }

    public required string Image { get; init; }

    /// <summary>The working directory the session gets (after Renku's rules).</summary>
    public required string WorkingDirectory { get; init; }

    /// <summary>The mount directory the session gets (an emptyDir here, the session volume in Renku).</summary>
    public required string MountDirectory { get; init; }

    /// <summary>The session environment variables, as NAME=value.</summary>
    public IReadOnlyList<string> Environment { get; init; } = Array.Empty<string>();

    /// <summary>The pod manifest as YAML (what kubectl apply would take).</summary>
    public required string Manifest { get; init; }

    public override string ToString() => Manifest;
}
