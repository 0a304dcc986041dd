namespace Renku.PowerShell.Environments;

/// <summary>
/// Which session launchers use a global environment. Every launcher counts, whatever its type
/// (interactive, non-interactive, an app, or a type this module does not know yet): the database
/// refuses to delete an environment any launcher points at.
/// </summary>
public static class EnvironmentUsage
{
    public static IReadOnlyList<SessionLauncher> LaunchersUsing(IEnumerable<SessionLauncher> launchers, string environmentId) =>
        launchers.Where(l => string.Equals(l.EnvironmentId, environmentId, StringComparison.OrdinalIgnoreCase)).ToList();

    /// <summary>How a launcher is named in messages: <c>'Nightly' (non-interactive, project 01H...)</c>.</summary>
    public static string Describe(SessionLauncher launcher) =>
        $"'{launcher.Name}' ({(string.IsNullOrEmpty(launcher.LauncherType) ? string.Empty : launcher.LauncherType + ", ")}project {launcher.ProjectId})";
}
