namespace Renku.PowerShell;

/// <summary>One change of an image tag, applied or only shown (-WhatIf).</summary>
public sealed class ImageTagUpdate
{
    /// <summary>Environment name and id, or <c>file:line</c>.</summary>
    public string Target { get; init; } = string.Empty;

    public UpgradeSourceKind TargetKind { get; init; }

    public string OldImage { get; init; } = string.Empty;

    public string NewImage { get; init; } = string.Empty;

    /// <summary>True when the change was written.</summary>
    public bool Applied { get; init; }

    /// <summary>Why the change was not applied, when it was not.</summary>
    public string? Reason { get; init; }

    /// <summary>The rules a candidate failed when the gate left it out (<c>-CheckCandidate</c>).</summary>
    public IReadOnlyList<string> FailedRules { get; init; } = Array.Empty<string>();

    public string? Path { get; init; }

    public int? Line { get; init; }

    public string? EnvironmentId { get; init; }

    /// <summary>The environment's name: the live environment's, or the entry's in an environments file.</summary>
    public string? EnvironmentName { get; init; }

    public override string ToString() => $"{Target}: {OldImage} -> {NewImage}{(Applied ? string.Empty : " (not applied)")}";
}
