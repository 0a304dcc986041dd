namespace Renku.PowerShell;

/// <summary>
/// The working and mount directories Renku really uses for a session, after its own rules: the
/// working directory comes from the environment, else the image WORKDIR, else
/// <c>/home/jovyan/work</c>; the mount directory from the environment, else the working
/// directory, with <c>/</c> turned into <c>/work</c>; a working directory outside the mount
/// directory is replaced by the mount directory.
/// </summary>
public sealed class SessionLayout
{
    public string WorkingDirectory { get; init; } = string.Empty;

    public string MountDirectory { get; init; } = string.Empty;

    /// <summary>What Renku changed or chose, in words (empty when the environment's values are used as given).</summary>
    public IReadOnlyList<string> Adjustments { get; init; } = Array.Empty<string>();

    internal static SessionLayout Resolve(SessionSettings settings, string? imageWorkingDirectory)
    {
        var adjustments = new List<string>();
        string working;
        if (!string.IsNullOrWhiteSpace(settings.WorkingDirectory))
        {
            working = Normalize(settings.WorkingDirectory);
        }
        else if (!string.IsNullOrWhiteSpace(imageWorkingDirectory))
        {
            working = Normalize(imageWorkingDirectory);
            adjustments.Add($"The environment sets no working directory, so Renku uses the image WORKDIR '{working}'.");
        }
        else
        {
            working = SessionSettings.FallbackWorkingDirectory;
            adjustments.Add($"Neither the environment nor the image sets a working directory, so Renku uses '{working}'.");
        }

        string mount;
        if (!string.IsNullOrWhiteSpace(settings.MountDirectory))
        {
            mount = Normalize(settings.MountDirectory);
        }
        else
        {
            mount = working;
            adjustments.Add($"The environment sets no mount directory, so Renku mounts the working directory '{working}'.");
        }

        if (mount == "/")
        {
            mount = "/work";
            adjustments.Add("A mount directory of '/' is not possible, so Renku mounts '/work' instead.");
        }

        if (!IsInside(working, mount))
        {
            adjustments.Add($"The working directory '{working}' is outside the mount directory '{mount}', so Renku starts the session in '{mount}' instead.");
            working = mount;
        }

        return new SessionLayout { WorkingDirectory = working, MountDirectory = mount, Adjustments = adjustments };
    }

    /// <summary>True when <paramref name="path"/> is <paramref name="directory"/> or below it.</summary>
    internal static bool IsInside(string path, string directory)
    {
        string p = Normalize(path);
        string d = Normalize(directory);
        return d == "/" || p == d || p.StartsWith(d + "/", StringComparison.Ordinal);
    }

    internal static string Normalize(string path)
    {
        var parts = new List<string>();
        foreach (string part in path.Trim().Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
