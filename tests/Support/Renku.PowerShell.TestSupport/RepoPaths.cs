namespace Renku.PowerShell.TestSupport;

/// <summary>Where things are in the repository, found from the test's own location.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    public static string Root => RootLazy.Value;

    /// <summary>The shared Renku material beside the repository (../shared).</summary>
    public static string Shared => Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string Version
    {
        get
        {
            string props = File.ReadAllText(Path.Combine(Root, "Directory.Build.props"));
            var match = System.Text.RegularExpressions.Regex.Match(props, "<VersionPrefix>([^<]+)</VersionPrefix>");
            return match.Success ? match.Groups[1].Value : throw new InvalidOperationException("VersionPrefix not found in Directory.Build.props");
        }
    }

    public static string StagedModuleDirectory => Path.Combine(Root, "out", "Renku.PowerShell", Version);

    public static string StagedManifest => Path.Combine(StagedModuleDirectory, "Renku.PowerShell.psd1");

    private static string FindRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir, "Renku.PowerShell.sln")))
            {
                return dir;
            }

            dir = Path.GetDirectoryName(dir);
        }

        throw new InvalidOperationException("Could not find the repository root (Renku.PowerShell.sln) above " + AppContext.BaseDirectory);
    }
}
