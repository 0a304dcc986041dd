using Renku.PowerShell.Builds;

namespace Renku.PowerShell.Buildpacks;

/// <summary>Finds the <c>pack</c> CLI: the path given, else <c>pack</c> on PATH.</summary>
public static class PackLocator
{
    public const string InstallHint = "Install the Cloud Native Buildpacks CLI from https://buildpacks.io/docs/for-platform-operators/how-to/integrate-ci/pack/ (for example 'brew install buildpacks/tap/pack', 'choco install pack' or the release tarball from github.com/buildpacks/pack/releases), then put it on PATH or pass -PackPath.";

    public static string Find(string? packPath) => Find(packPath, Environment.GetEnvironmentVariable("PATH"));

    internal static string Find(string? packPath, string? searchPath)
    {
        if (!string.IsNullOrEmpty(packPath))
        {
            if (File.Exists(packPath))
            {
                return Path.GetFullPath(packPath);
            }

            throw new ImageBuildException(ImageBuildFailure.PackNotFound, $"There is no pack executable at '{packPath}'. {InstallHint}");
        }

        string[] names = OperatingSystem.IsWindows() ? new[] { "pack.exe", "pack.cmd", "pack.bat" } : new[] { "pack" };
        foreach (string directory in (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            foreach (string name in names)
            {
                string candidate = Path.Combine(directory, name);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }
        }

        throw new ImageBuildException(ImageBuildFailure.PackNotFound, $"The pack CLI was not found on PATH. {InstallHint}");
    }
}
