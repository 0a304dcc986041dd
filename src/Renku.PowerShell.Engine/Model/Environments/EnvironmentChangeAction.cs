namespace Renku.PowerShell;

/// <summary>What a sync does (or would do) to one environment.</summary>
public enum EnvironmentChangeAction
{
    Unchanged,
    Create,
    Update,
    Archive,
    Remove,
}
