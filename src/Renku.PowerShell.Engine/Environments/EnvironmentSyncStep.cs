namespace Renku.PowerShell.Environments;

/// <summary>One planned step of a sync: the change to report, and what is needed to apply it.</summary>
public sealed class EnvironmentSyncStep
{
    internal EnvironmentSyncStep(EnvironmentChange change, EnvironmentSpec? desired, GlobalEnvironment? current)
    {
        Change = change;
        Desired = desired;
        Current = current;
    }

    public EnvironmentChange Change { get; }

    /// <summary>The file's entry (null for pruned environments).</summary>
    public EnvironmentSpec? Desired { get; }

    /// <summary>The environment in Renku today (null for Create).</summary>
    public GlobalEnvironment? Current { get; }
}
