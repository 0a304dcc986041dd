namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// The working and mount directories Renku gives a session: working dir = the environment's, else
/// the image WORKDIR, else /home/jovyan/work; mount dir = the environment's, else the working dir
/// (<c>/</c> becomes <c>/work</c>); a working dir outside the mount dir is replaced by the mount dir.
/// </summary>
internal sealed record SessionDirectories(string WorkingDirectory, string MountDirectory)
{
    internal const string FallbackWorkingDirectory = "/home/jovyan/work";

    internal static SessionDirectories Resolve(string? environmentWorkingDirectory, string? environmentMountDirectory, string? imageWorkingDirectory)
    {
        string working = NonEmpty(environmentWorkingDirectory) ?? NonEmpty(imageWorkingDirectory) ?? FallbackWorkingDirectory;
        string mount = NonEmpty(environmentMountDirectory) ?? working;
        if (Normalise(mount) == "/")
        {
            mount = "/work";
        }

        if (!IsUnder(working, mount))
        {
            working = mount;
        }

        return new SessionDirectories(working, mount);
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string Normalise(string path)
    {
        string trimmed = path.TrimEnd('/');
        return trimmed.Length == 0 ? "/" : trimmed;
    }

    private static bool IsUnder(string path, string directory)
    {
        string p = Normalise(path);
        string d = Normalise(directory);
        return p == d || d == "/" || p.StartsWith(d + "/", StringComparison.Ordinal);
    }
}
