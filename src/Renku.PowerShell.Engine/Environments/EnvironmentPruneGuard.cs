namespace Renku.PowerShell.Environments;

/// <summary>
/// How much of the fleet a sync with -Prune would take out of use. A prune that archives or removes
/// more than <see cref="MaxSharePercent"/> percent of the environments in use today (not archived)
/// is refused unless the caller says it is meant: a file that lost most of its entries (a template
/// bug, an export of the wrong instance) must not empty the platform.
/// </summary>
public static class EnvironmentPruneGuard
{
    /// <summary>The largest share of the active environments one prune may archive or remove.</summary>
    public const int MaxSharePercent = 50;

    /// <summary>The active environments (not archived) the plan archives or removes, and how many Renku has.</summary>
    public static (IReadOnlyList<GlobalEnvironment> TakenOut, int Active) Share(IReadOnlyList<EnvironmentSyncStep> steps, IReadOnlyList<GlobalEnvironment> current)
    {
        var takenOut = steps
            .Where(s => s.Change.Action is EnvironmentChangeAction.Archive or EnvironmentChangeAction.Remove && s.Current is { IsArchived: false })
            .Select(s => s.Current!)
            .ToList();
        return (takenOut, current.Count(c => !c.IsArchived));
    }

    /// <summary>True when taking <paramref name="takenOut"/> of <paramref name="active"/> environments out is more than the allowed share.</summary>
    public static bool Exceeds(int takenOut, int active) => takenOut > 0 && (long)takenOut * 100 > (long)active * MaxSharePercent;
}
