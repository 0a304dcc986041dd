namespace Renku.PowerShell.TestSupport.Images;

/// <summary>Session-like images for compliance tests that need only a registry or an archive (no Docker engine).</summary>
public static class ComplianceImages
{
    /// <summary>
    /// A Renku-style image: an os-release for <paramref name="osId"/>, passwd/group with root and the
    /// given user, USER <paramref name="user"/>, WORKDIR /home/renku, a buildpack-like entrypoint.
    /// <paramref name="padding"/> adds random bytes in a second layer (for size rules and benchmarks).
    /// </summary>
    public static TestImage Session(string osId = "ubuntu", string osVersion = "24.04", string userLine = "renku:x:1000:1000:renku:/home/renku:/bin/bash", string groupLine = "renku:x:1000:", string? user = "1000", string platform = "linux/amd64", int padding = 0, int seed = 1)
    {
        string name = osId == "ubuntu" ? "Ubuntu" : osId == "debian" ? "Debian GNU/Linux" : osId;
        var system = new LayerBuilder()
            .Directory("/etc")
            .Symlink("/etc/os-release", "../usr/lib/os-release")
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/bash\n" + userLine + "\n")
            .File("/etc/group", "root:x:0:\n" + groupLine + "\n")
            .Directory("/usr/lib")
            .File("/usr/lib/os-release", $"PRETTY_NAME=\"{name} {osVersion}\"\nNAME=\"{name}\"\nVERSION_ID=\"{osVersion}\"\nID={osId}\n" + (osId == "ubuntu" ? "ID_LIKE=debian\n" : string.Empty))
            .Directory("/home/renku");
        var layers = new List<(LayerBuilder, LayerCompression)> { (system, LayerCompression.Gzip) };
        if (padding > 0)
        {
            byte[] random = new byte[padding];
            new Random(seed).NextBytes(random);
            layers.Add((new LayerBuilder().File("/opt/payload.bin", random), LayerCompression.Gzip));
        }
        else
        {
            layers.Add((new LayerBuilder().File("/opt/seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture)), LayerCompression.Gzip));
        }

        return TestImage.Create(
            layers,
            new TestImageConfig
            {
                User = user,
                WorkingDir = "/home/renku",
                Env = new[] { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/home/renku" },
                Entrypoint = new[] { "/cnb/process/web" },
                Cmd = null,
            },
            platform);
    }
}
