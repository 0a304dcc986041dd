namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// Small real images for the Docker engine, imported from a busybox rootfs (Debian's
/// busybox-static): a shell, httpd, nc, id and friends, with a chosen /etc/os-release and users.
/// </summary>
public static class BusyboxImage
{
    private static readonly string[] Applets = { "sh", "ls", "cat", "echo", "httpd", "id", "sleep", "nc", "mkdir", "touch", "test", "env", "true", "false", "printf", "chmod", "chown", "rm", "wget" };

    /// <summary>
    /// Builds a rootfs folder: busybox and its applets in /bin, /etc/passwd and /etc/group with
    /// root and (by default) renku 1000:1000, an os-release for the given distribution, /tmp.
    /// </summary>
    public static string CreateRootfs(string directory, string osId = "debian", string osVersion = "12", IEnumerable<string>? extraPasswd = null, IEnumerable<string>? extraGroup = null, bool withRenkuUser = true)
    {
        string busybox = Requires.Executable("busybox", "busybox-static");
        Directory.CreateDirectory(Path.Combine(directory, "bin"));
        Directory.CreateDirectory(Path.Combine(directory, "etc"));
        Directory.CreateDirectory(Path.Combine(directory, "tmp"));
        Directory.CreateDirectory(Path.Combine(directory, "usr", "lib"));
        File.Copy(busybox, Path.Combine(directory, "bin", "busybox"), overwrite: true);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(directory, "bin", "busybox"), (UnixFileMode)0b111_101_101);
            File.SetUnixFileMode(Path.Combine(directory, "tmp"), (UnixFileMode)0b111_111_111 | UnixFileMode.StickyBit);
        }
        foreach (string applet in Applets)
        {
            string link = Path.Combine(directory, "bin", applet);
            if (!File.Exists(link))
            {
                File.CreateSymbolicLink(link, "busybox");
            }
        }

        var passwd = new List<string> { "root:x:0:0:root:/root:/bin/sh" };
        var group = new List<string> { "root:x:0:" };
        if (withRenkuUser)
        {
            passwd.Add("renku:x:1000:1000:renku:/home/renku:/bin/sh");
            group.Add("renku:x:1000:");
            Directory.CreateDirectory(Path.Combine(directory, "home", "renku"));
        }

        passwd.AddRange(extraPasswd ?? Array.Empty<string>());
        group.AddRange(extraGroup ?? Array.Empty<string>());
        File.WriteAllText(Path.Combine(directory, "etc", "passwd"), string.Join("\n", passwd) + "\n");
        File.WriteAllText(Path.Combine(directory, "etc", "group"), string.Join("\n", group) + "\n");

        // As on Debian and Ubuntu, /etc/os-release is a relative link to /usr/lib/os-release.
        string name = osId == "ubuntu" ? "Ubuntu" : osId == "debian" ? "Debian GNU/Linux" : osId;
        File.WriteAllText(Path.Combine(directory, "usr", "lib", "os-release"), $"PRETTY_NAME=\"{name} {osVersion}\"\nNAME=\"{name}\"\nVERSION_ID=\"{osVersion}\"\nID={osId}\n" + (osId == "ubuntu" ? "ID_LIKE=debian\n" : string.Empty));
        string osRelease = Path.Combine(directory, "etc", "os-release");
        if (!File.Exists(osRelease))
        {
            File.CreateSymbolicLink(osRelease, "../usr/lib/os-release");
        }

        return directory;
    }

    /// <summary>Imports a rootfs folder into the test Docker engine as <paramref name="tag"/>, with optional Dockerfile-style changes (<c>USER 1000</c>).</summary>
    public static void Import(string rootfs, string tag, params string[] changes) => ImportInto(DockerDaemon.Require(), rootfs, tag, changes);

    /// <summary>Imports a rootfs folder as <paramref name="tag"/> into the engine at <paramref name="dockerHost"/> (<c>unix:///...</c>).</summary>
    public static void ImportInto(string dockerHost, string rootfs, string tag, params string[] changes)
    {
        string tar = Path.Combine(Path.GetTempPath(), "renku-ps-rootfs-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        try
        {
            ProcessRunner.Run("tar", new[] { "-C", rootfs, "-cf", tar, "." }, TimeSpan.FromMinutes(1)).EnsureSuccess("tar");
            var arguments = new List<string> { "import" };
            foreach (string change in changes)
            {
                arguments.Add("--change");
                arguments.Add(change);
            }

            arguments.Add(tar);
            arguments.Add(tag);
            DockerDaemon.CliAt(dockerHost, TimeSpan.FromMinutes(2), arguments.ToArray()).EnsureSuccess("docker import");
        }
        finally
        {
            File.Delete(tar);
        }
    }
}
