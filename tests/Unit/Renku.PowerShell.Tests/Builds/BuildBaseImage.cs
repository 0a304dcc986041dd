using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>A busybox base image (with user renku 1000) in the test engine, imported once per test process.</summary>
internal static class BuildBaseImage
{
    public const string Tag = "renku-ps-test/build-base:1";
    private static readonly object Gate = new();
    private static bool imported;

    /// <summary>Returns the engine address after making sure the base image is there.</summary>
    public static string Ensure()
    {
        string host = DockerDaemon.Require();
        lock (Gate)
        {
            if (!imported)
            {
                string rootfs = BusyboxImage.CreateRootfs(Path.Combine(Path.GetTempPath(), "renku-ps-build-base-" + Guid.NewGuid().ToString("N")[..8]));
                try
                {
                    BusyboxImage.Import(rootfs, Tag);
                }
                finally
                {
                    Directory.Delete(rootfs, recursive: true);
                }

                imported = true;
            }
        }

        return host;
    }

    public static string Docker(params string[] arguments) =>
        DockerDaemon.Cli(TimeSpan.FromMinutes(2), arguments).EnsureSuccess("docker " + string.Join(' ', arguments)).StdOut.Trim();

    public static string NewDirectory(string purpose)
    {
        string directory = Path.Combine(Path.GetTempPath(), "renku-ps-build-" + purpose + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        return directory;
    }

    public static void Write(string root, string relative, string content)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }

    public static void RemoveImage(string tag) => DockerDaemon.Cli(TimeSpan.FromMinutes(1), "rmi", "-f", tag);
}
