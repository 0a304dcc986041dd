namespace Renku.PowerShell;

/// <summary>The outcome of syncing one environment: what was (or, with -WhatIf, would be) done.</summary>
public sealed class EnvironmentChange
{
    public string Name { get; init; } = string.Empty;

    public EnvironmentChangeAction Action { get; init; }

    /// <summary>The fields that differ; empty for Unchanged, Archive and Remove.</summary>
    public EnvironmentFieldChange[] Changes { get; init; } = Array.Empty<EnvironmentFieldChange>();

    /// <summary>The environment after the change (before it for Remove and for a change not applied).</summary>
    public GlobalEnvironment? Environment { get; set; }

    /// <summary>The environment's id; empty for a Create that was not applied.</summary>
    public string? Id => Environment?.Id;

    /// <summary>True when the change was sent to Renku; false under -WhatIf, when declined or for Unchanged.</summary>
    public bool Applied { get; set; }

    public override string ToString() => Changes.Length == 0 ? $"{Action} {Name}" : $"{Action} {Name}: {string.Join("; ", Changes.Select(c => c.ToString()))}";
}
