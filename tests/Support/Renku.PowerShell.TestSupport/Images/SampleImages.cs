namespace Renku.PowerShell.TestSupport.Images;

/// <summary>The images the inspection tests push: a Debian-like layered image and friends.</summary>
public static class SampleImages
{
    /// <summary>
    /// Three layers: a gzip base (os-release symlink to ../usr/lib/os-release, debian_version,
    /// passwd with root and renku, /etc/motd, /opt/data/{a,b}), a zstd middle layer (a whiteout of
    /// /etc/motd, /opt/data made opaque with a new c, <paramref name="middlePadding"/> random bytes),
    /// and an uncompressed top layer (with <paramref name="basePadding"/>, random bytes follow os-release in the base) that adds jovyan 1000:100 to passwd and group.
    /// </summary>
    public static TestImage Layered(string? user = "1000", int middlePadding = 0, string platform = "linux/amd64", string osVersion = "12", bool dockerSchema2 = false, int basePadding = 0)
    {
        var baseLayer = new LayerBuilder()
            .Directory("/etc")
            .File("/etc/debian_version", osVersion + ".5\n")
            .Symlink("/etc/os-release", "../usr/lib/os-release")
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nrenku:x:1001:1001:renku:/home/renku:/bin/sh\n")
            .File("/etc/group", "root:x:0:\nrenku:x:1001:\n")
            .File("/etc/motd", "welcome\n")
            .Directory("/opt/data")
            .File("/opt/data/a", "a")
            .File("/opt/data/b", "b")
            .Directory("/usr/lib")
            .File("/usr/lib/os-release", $"PRETTY_NAME=\"Debian GNU/Linux {osVersion} (test)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"{osVersion}\"\nID=debian\nID_LIKE=\"test-like other-like\"\n");
        if (basePadding > 0)
        {
            // After os-release in path order, like /usr/lib/x86_64-linux-gnu and /usr/share in a real base.
            byte[] random = new byte[basePadding];
            new Random(7).NextBytes(random);
            baseLayer.File("/usr/share/padding.bin", random);
        }
        var middle = new LayerBuilder()
            .Whiteout("/etc/motd")
            .Opaque("/opt/data")
            .File("/opt/data/c", "c");
        if (middlePadding > 0)
        {
            byte[] random = new byte[middlePadding];
            new Random(42).NextBytes(random);
            middle.File("/opt/padding.bin", random);
        }

        var top = new LayerBuilder()
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nrenku:x:1001:1001:renku:/home/renku:/bin/sh\njovyan:x:1000:100:Jupyter:/home/jovyan:/bin/bash\n")
            .File("/etc/group", "root:x:0:\nrenku:x:1001:\nusers:x:100:jovyan\n");
        return TestImage.Create(
            new[] { (baseLayer, LayerCompression.Gzip), (middle, dockerSchema2 ? LayerCompression.Gzip : LayerCompression.Zstd), (top, dockerSchema2 ? LayerCompression.Gzip : LayerCompression.None) },
            new TestImageConfig
            {
                User = user,
                WorkingDir = "/home/jovyan",
                Env = new[] { "PATH=/usr/bin:/bin", "RENKU_MOUNT_DIR=/home/jovyan/work" },
                Entrypoint = new[] { "tini", "--" },
                Cmd = new[] { "jupyter", "lab" },
                ExposedPorts = new[] { "8888/tcp" },
                Labels = new Dictionary<string, string> { ["org.opencontainers.image.source"] = "https://example.org/app" },
                Volumes = new[] { "/home/jovyan/work" },
            },
            platform,
            dockerSchema2);
    }

    /// <summary>A one-layer image for another platform (alpine-like), for indexes.</summary>
    public static TestImage Small(string platform, string osId = "alpine", string version = "3.20.0", string? user = null)
    {
        var layer = new LayerBuilder()
            .File("/etc/os-release", $"ID={osId}\nVERSION_ID={version}\nPRETTY_NAME=\"{osId} {version} ({platform})\"\n")
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/sbin/nologin\n")
            .File("/etc/group", "root:x:0:\nnogroup:x:65534:\n");
        return TestImage.Create(new[] { (layer, LayerCompression.Gzip) }, new TestImageConfig { User = user, Cmd = new[] { "/bin/sh", "-c", platform } }, platform);
    }
}
