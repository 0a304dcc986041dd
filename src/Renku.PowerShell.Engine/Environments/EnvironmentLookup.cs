namespace Renku.PowerShell.Environments;

/// <summary>
/// Finds the one environment a user means by a name (or an id given where a name goes). A name is
/// literal (no wildcards: a removal must not widen), matched exactly; one that several environments
/// share is ambiguous and never guessed.
/// </summary>
public static class EnvironmentLookup
{
    /// <summary>What <see cref="Find"/> found.</summary>
    public enum Outcome
    {
        Found,
        NotFound,
        Ambiguous,
    }

    /// <param name="nameOrId">The name, or an id (a ULID no environment has as its name).</param>
    /// <param name="all">Every environment, archived ones included.</param>
    /// <returns>The outcome and the environments that match (one when found, all of them when ambiguous).</returns>
    public static (Outcome Outcome, IReadOnlyList<GlobalEnvironment> Matches) Find(string nameOrId, IReadOnlyList<GlobalEnvironment> all)
    {
        var named = all.Where(e => string.Equals(e.Name, nameOrId, StringComparison.Ordinal)).ToList();
        if (named.Count == 0 && EnvironmentValidator.IsUlid(nameOrId))
        {
            named = all.Where(e => string.Equals(e.Id, nameOrId, StringComparison.OrdinalIgnoreCase)).ToList();
        }

        return named.Count switch
        {
            0 => (Outcome.NotFound, named),
            1 => (Outcome.Found, named),
            _ => (Outcome.Ambiguous, named),
        };
    }

    /// <summary>How an ambiguity is said: every id, with what tells the environments apart.</summary>
    public static string DescribeAmbiguity(string name, IReadOnlyList<GlobalEnvironment> matches) =>
        $"{matches.Count} environments are named '{name}': {string.Join(", ", matches.Select(e => $"{e.Id} ({e.Image}{(e.IsArchived ? ", archived" : string.Empty)})"))}.";

    /// <summary>True when an environment other than <paramref name="exceptId"/> already has <paramref name="name"/>.</summary>
    public static IReadOnlyList<GlobalEnvironment> Holders(string name, IReadOnlyList<GlobalEnvironment> all, string? exceptId = null) =>
        all.Where(e => string.Equals(e.Name, name, StringComparison.Ordinal) && !string.Equals(e.Id, exceptId, StringComparison.Ordinal)).ToList();
}
