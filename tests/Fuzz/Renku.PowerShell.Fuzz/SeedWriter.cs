using System.Formats.Tar;
using System.Text;

using Renku.PowerShell.TestSupport.Images;

namespace Renku.PowerShell.Fuzz;

/// <summary>
/// Writes the seeds that are binary (image archives, layers in each compression) or derived from
/// them (manifests, indexes, configs), from the test suite's own sample images, so that they stay
/// true to what the readers meet. Text seeds are committed as written.
/// </summary>
internal static class SeedWriter
{
    internal static void Write(string corpus)
    {
        TestImage small = SampleImages.Small("linux/amd64", user: "1000");
        TestImage arm = SampleImages.Small("linux/arm64/v8", osId: "debian", version: "12");
        TestImage docker = SampleImages.Small("linux/amd64", osId: "ubuntu", version: "24.04");

        // OCI layout and docker save tars.
        Put(corpus, "image-archive", "seed-oci-layout.tar", Tar(dir => small.WriteLayout(dir, "registry.example.org/team/lab:1.0")));
        Put(corpus, "image-archive", "seed-oci-index.tar", Tar(dir =>
        {
            small.WriteLayout(dir, "lab:1.0");
            (OciBlob index, _, _) = TestImage.Index(new[] { small, arm });
            foreach (OciBlob blob in arm.Blobs.Append(arm.Manifest).Append(index))
            {
                File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", blob.Digest.Substring(7)), blob.Content);
            }

            var entry = index.Descriptor();
            entry["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "lab:multi" };
            File.WriteAllBytes(Path.Combine(dir, "index.json"), TestImage.Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["manifests"] = new[] { entry } }));
        }));
        Put(corpus, "image-archive", "seed-docker-save.tar", Tar(dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "blobs", "sha256"));
            foreach (OciBlob blob in docker.Blobs)
            {
                File.WriteAllBytes(Path.Combine(dir, "blobs", "sha256", blob.Digest.Substring(7)), blob.Content);
            }

            var manifest = new[]
            {
                new Dictionary<string, object?>
                {
                    ["Config"] = "blobs/sha256/" + docker.Config.Digest.Substring(7),
                    ["RepoTags"] = new[] { "team/lab:2.0" },
                    ["Layers"] = docker.Layers.Select(l => "blobs/sha256/" + l.Digest.Substring(7)).ToArray(),
                },
            };
            File.WriteAllBytes(Path.Combine(dir, "manifest.json"), TestImage.Json(manifest));
        }));

        // Manifests, indexes and configs as registries serve them.
        TestImage layered = SampleImages.Layered();
        TestImage schema2 = SampleImages.Layered(dockerSchema2: true);
        Put(corpus, "manifest", "seed-oci-manifest.json", layered.Manifest.Content);
        Put(corpus, "manifest", "seed-docker-manifest.json", schema2.Manifest.Content);
        Put(corpus, "manifest", "seed-oci-index.json", TestImage.Index(new[] { small, arm }, attestationFor: small).Index.Content);
        Put(corpus, "manifest", "seed-docker-list.json", TestImage.Index(new[] { small, arm }, dockerManifestList: true).Index.Content);
        Put(corpus, "image-config", "seed-config.json", layered.Config.Content);
        Put(corpus, "image-config", "seed-config-docker.json", schema2.Config.Content);
        Put(corpus, "image-config", "seed-config-small.json", small.Config.Content);

        // Layers: whiteouts, opaque folders, links, each compression.
        var layer = new LayerBuilder()
            .Directory("/etc")
            .File("/etc/passwd", "root:x:0:0:root:/root:/bin/sh\nrenku:x:1000:100::/home/renku:/bin/bash\n")
            .File("/etc/group", "root:x:0:\nusers:x:100:renku\n")
            .Symlink("/etc/os-release", "../usr/lib/os-release")
            .Directory("/usr/lib")
            .File("/usr/lib/os-release", "ID=debian\nVERSION_ID=\"12\"\n")
            .HardLink("/usr/local/bin/start", "/etc/passwd")
            .Whiteout("/etc/motd")
            .Opaque("/home/renku/work");
        byte[] tar = layer.Tar();
        Put(corpus, "layer", "seed-layer.tar", tar);
        Put(corpus, "layer", "seed-layer.tar.gz", LayerBuilder.Gzip(tar));
        Put(corpus, "layer", "seed-layer.tar.zst", LayerBuilder.Zstd(tar));
    }

    private static void Put(string corpus, string target, string name, byte[] bytes)
    {
        string folder = Path.Combine(corpus, target);
        Directory.CreateDirectory(folder);
        File.WriteAllBytes(Path.Combine(folder, name), bytes);
        Console.WriteLine($"{target}/{name}: {bytes.Length} bytes");
    }

    private static byte[] Tar(Action<string> fill)
    {
        string dir = Directory.CreateTempSubdirectory("renku-fuzz-seed-").FullName;
        try
        {
            fill(dir);
            using var output = new MemoryStream();
            using (var writer = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true))
            {
                foreach (string file in Directory.GetFiles(dir, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                {
                    string name = Path.GetRelativePath(dir, file).Replace('\\', '/');
                    writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(File.ReadAllBytes(file)), ModificationTime = DateTimeOffset.UnixEpoch });
                }
            }

            return output.ToArray();
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
