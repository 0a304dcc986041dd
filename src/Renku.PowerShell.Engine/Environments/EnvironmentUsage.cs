namespace Renku.PowerShell.Environments;

/// <summary>
/// Which session launchers start a global environment. There is no query by environment in the
/// data API: callers list every launcher (as an admin) and ask here. Launchers of every shape
/// (image or build environments) and launcher type count alike.
/// </summary>
public static class EnvironmentUsage
{
    /// <summary>The launchers among <paramref name="launchers"/> whose environment is <paramref name="environmentId"/>.</summary>
    public static IReadOnlyList<SessionLauncher> LaunchersOf(IEnumerable<SessionLauncher> launchers, string environmentId) =>
        launchers.Where(l => string.Equals(l.EnvironmentId, environmentId, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>The launchers as an admin reads them in a message: <c>'name' (project id), ...</c>.</summary>
    public static string Describe(IEnumerable<SessionLauncher> launchers) =>
        string.Join(", ", launchers.Select(l => $"'{l.Name}' (project {l.ProjectId})"));
}
