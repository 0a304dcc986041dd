namespace Renku.PowerShell.Environments;

/// <summary>
/// Compares the environments a file wants with the ones Renku has, matched by name, and plans
/// the smallest set of writes. Planning sends nothing.
/// </summary>
public static class EnvironmentSyncPlanner
{
    /// <param name="desired">The file's environments, already validated.</param>
    /// <param name="current">Every environment in Renku, archived ones included.</param>
    /// <param name="prune">Archive (or, with <paramref name="remove"/>, remove) environments the file does not list.</param>
    public static IReadOnlyList<EnvironmentSyncStep> Plan(IReadOnlyList<EnvironmentSpec> desired, IReadOnlyList<GlobalEnvironment> current, bool prune, bool remove)
    {
        var duplicate = desired.GroupBy(d => d.Name, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new EnvironmentNameException(duplicate.Key, duplicate: true, $"The file lists the environment '{duplicate.Key}' {duplicate.Count()} times; names must be unique.");
        }

        var steps = new List<EnvironmentSyncStep>();
        var matched = new HashSet<string>(StringComparer.Ordinal);
        foreach (EnvironmentSpec spec in desired)
        {
            var candidates = current.Where(c => string.Equals(c.Name, spec.Name, StringComparison.Ordinal)).ToList();
            if (candidates.Count > 1)
            {
                var active = candidates.Where(c => !c.IsArchived).ToList();
                candidates = active.Count > 0 ? active : candidates;
            }

            if (candidates.Count > 1)
            {
                throw new EnvironmentNameException(spec.Name, duplicate: false, $"Renku has {candidates.Count} environments named '{spec.Name}' ({string.Join(", ", candidates.Select(c => c.Id))}); rename or remove all but one before syncing.");
            }

            if (candidates.Count == 0)
            {
                steps.Add(new EnvironmentSyncStep(new EnvironmentChange { Name = spec.Name, Action = EnvironmentChangeAction.Create, Changes = Creation(spec) }, spec, null));
                continue;
            }

            GlobalEnvironment existing = candidates[0];
            matched.Add(existing.Id);
            var changes = EnvironmentDiff.Compare(existing, spec).ToArray();
            var action = changes.Length == 0 ? EnvironmentChangeAction.Unchanged : EnvironmentChangeAction.Update;
            steps.Add(new EnvironmentSyncStep(new EnvironmentChange { Name = spec.Name, Action = action, Changes = changes, Environment = existing }, spec, existing));
        }

        if (prune)
        {
            var wanted = desired.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
            foreach (GlobalEnvironment extra in current.Where(c => !matched.Contains(c.Id) && !wanted.Contains(c.Name)).OrderBy(c => c.Name, StringComparer.Ordinal))
            {
                EnvironmentChangeAction action = remove ? EnvironmentChangeAction.Remove : extra.IsArchived ? EnvironmentChangeAction.Unchanged : EnvironmentChangeAction.Archive;
                var changes = action == EnvironmentChangeAction.Archive ? new[] { new EnvironmentFieldChange(EnvironmentFields.IsArchived, false, true) } : Array.Empty<EnvironmentFieldChange>();
                steps.Add(new EnvironmentSyncStep(new EnvironmentChange { Name = extra.Name, Action = action, Changes = changes, Environment = extra }, null, extra));
            }
        }

        return steps;
    }

    private static EnvironmentFieldChange[] Creation(EnvironmentSpec spec) =>
        EnvironmentFields.All
            .Select(f => new EnvironmentFieldChange(f, null, spec.Get(f)))
            .Where(c => c.NewValue is not null && !(c.Field == EnvironmentFields.IsArchived && Equals(c.NewValue, false)))
            .ToArray();
}
