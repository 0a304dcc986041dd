using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.BuildTools;

/// <summary>
/// Writes the example session image that the README's first command checks: an OCI image layout
/// made at build time (nothing downloaded), shaped like an image built for Renku on Ubuntu with
/// user renku 1000:1000, a WORKDIR that Renku replaces (the report says with what) and a mistake
/// people often make (the floating tag 'latest'), so the report has something to say. Ustar
/// entries carry no access or change times, so the digests are the same on every build.
/// </summary>
internal static class ExampleImageWriter
{
    public const string ReferenceName = "renku-example/python-lab:latest";
    private static readonly DateTimeOffset Epoch = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static string Write(string directory)
    {
        if (System.IO.Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        string blobs = Path.Combine(directory, "blobs", "sha256");
        Directory.CreateDirectory(blobs);

        byte[] tar = Layer();
        byte[] layer = Gzip(tar);
        var config = new Dictionary<string, object?>
        {
            ["created"] = "2025-01-01T00:00:00Z",
            ["architecture"] = "amd64",
            ["os"] = "linux",
            ["config"] = new Dictionary<string, object?>
            {
                ["User"] = "1000",
                ["WorkingDir"] = "/opt/app",
                ["Env"] = new[] { "PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/home/renku" },
                ["Entrypoint"] = new[] { "/bin/sh", "-c" },
                ["Cmd"] = new[] { "jupyter lab --ip=0.0.0.0 --port=8888" },
                ["ExposedPorts"] = new Dictionary<string, object> { ["8888/tcp"] = new Dictionary<string, object>() },
            },
            ["rootfs"] = new Dictionary<string, object?> { ["type"] = "layers", ["diff_ids"] = new[] { Digest(tar) } },
            ["history"] = new[] { new Dictionary<string, object?> { ["created_by"] = "Renku.PowerShell.BuildTools example" } },
        };
        byte[] configBytes = JsonSerializer.SerializeToUtf8Bytes(config);
        byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configBytes),
            ["layers"] = new[] { Descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer) },
        });

        foreach (byte[] blob in new[] { layer, configBytes, manifest })
        {
            File.WriteAllBytes(Path.Combine(blobs, Digest(blob)["sha256:".Length..]), blob);
        }

        var entry = Descriptor("application/vnd.oci.image.manifest.v1+json", manifest);
        entry["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = ReferenceName };
        File.WriteAllText(Path.Combine(directory, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        File.WriteAllBytes(Path.Combine(directory, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new[] { entry },
        }));
        return directory;
    }

    private static byte[] Layer()
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            AddDirectory(writer, "etc/");
            AddFile(writer, "etc/passwd", "root:x:0:0:root:/root:/bin/bash\nrenku:x:1000:1000:renku:/home/renku:/bin/bash\n");
            AddFile(writer, "etc/group", "root:x:0:\nrenku:x:1000:\n");
            writer.WriteEntry(new UstarTarEntry(TarEntryType.SymbolicLink, "etc/os-release") { LinkName = "../usr/lib/os-release", ModificationTime = Epoch });
            AddDirectory(writer, "usr/");
            AddDirectory(writer, "usr/lib/");
            AddFile(writer, "usr/lib/os-release", "PRETTY_NAME=\"Ubuntu 24.04 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"24.04\"\nID=ubuntu\nID_LIKE=debian\n");
            AddDirectory(writer, "home/");
            AddDirectory(writer, "home/renku/", uid: 1000);
            AddDirectory(writer, "opt/");
            AddDirectory(writer, "opt/app/", uid: 1000);
            AddFile(writer, "opt/app/README.md", "An example session image written by Renku.PowerShell's build.\n");
        }

        return buffer.ToArray();
    }

    private static void AddDirectory(TarWriter writer, string name, int uid = 0) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101, Uid = uid, Gid = uid, ModificationTime = Epoch });

    private static void AddFile(TarWriter writer, string name, string content) =>
        writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, ModificationTime = Epoch, DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)) });

    private static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    private static Dictionary<string, object?> Descriptor(string mediaType, byte[] content) => new()
    {
        ["mediaType"] = mediaType,
        ["digest"] = Digest(content),
        ["size"] = content.LongLength,
    };

    private static string Digest(byte[] content) => "sha256:" + Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
}
