using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

using Renku.PowerShell;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;
using Renku.PowerShell.Images;

// Builds a ~1 GB image of 8 gzip layers from random (incompressible) bytes: a ~300 MiB base layer
// with /etc/os-release -> ../usr/lib/os-release (80 MiB into it, in path order), six ~112 MiB layers, and a small top layer that
// changes /etc/passwd and /etc/group. Pushes it to a loopback docker-registry with skopeo, then
// times, alternately, `skopeo copy` to an OCI folder and the engine call Get-RenkuImage
// -IncludeFiles makes (cold: a fresh inspector per run), and prints the bytes and speed ratios;
// a repeat with the same inspector is reported apart as the warm case.
int runs = args.Length > 0 && int.TryParse(args[0], out int n) ? n : 3;
string root = Path.Combine(Environment.GetEnvironmentVariable("RENKU_BENCH_DIR") ?? Path.GetTempPath(), "renku-ps-bench-registry-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
try
{
    string skopeo = Requires.Which("skopeo") ?? throw new InvalidOperationException("skopeo is needed (apt-get install skopeo).");
    var drive = new DriveInfo(root);
    Console.WriteLine($"work folder {root}; {drive.AvailableFreeSpace / 1024 / 1024 / 1024} GiB free");
    if (drive.AvailableFreeSpace < 5L * 1024 * 1024 * 1024)
    {
        throw new InvalidOperationException("The benchmark needs about 4 GiB of free disk space.");
    }

    var clock = Stopwatch.StartNew();
    string layout = Path.Combine(root, "layout");
    Directory.CreateDirectory(Path.Combine(layout, "blobs", "sha256"));
    var layers = new List<(string Digest, long Size, string DiffId)>();
    layers.Add(WriteLayer(layout, 0, 300, baseLayer: true));
    for (int i = 1; i <= 6; i++)
    {
        layers.Add(WriteLayer(layout, i, 112, baseLayer: false));
    }

    layers.Add(WriteTopLayer(layout));
    string manifestDigest = WriteManifest(layout, layers);
    long compressed = layers.Sum(l => l.Size);
    Console.WriteLine($"image written in {clock.Elapsed.TotalSeconds:0.0} s: {layers.Count} layers, {compressed / 1024.0 / 1024.0:0} MiB compressed, base layer {layers[0].Size / 1024.0 / 1024.0:0} MiB");

    using RegistryServer registry = RegistryServer.Start();
    string image = registry.Host + "/bench/big:1";
    Run(skopeo, "copy", "--quiet", "--dest-tls-verify=false", $"oci:{layout}:big", "docker://" + image);
    Console.WriteLine($"pushed to {image}");

    // Every measured inspection is cold: a fresh inspector (its own HTTP client, token cache, config
    // cache and layer records) per run, as one Get-RenkuImage call is. A second inspection with the
    // same inspector is timed separately as the warm case: it reads nothing it has read before.
    var skopeoTimes = new List<double>();
    var inspectTimes = new List<double>();
    var warmTimes = new List<double>();
    long downloaded = 0;
    long warmDownloaded = 0;
    for (int run = 0; run < runs; run++)
    {
        string destination = Path.Combine(root, "pulled-" + run);
        var watch = Stopwatch.StartNew();
        Run(skopeo, "copy", "--quiet", "--src-tls-verify=false", "docker://" + image, $"oci:{destination}:big");
        skopeoTimes.Add(watch.Elapsed.TotalSeconds);
        Directory.Delete(destination, recursive: true);

        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        watch.Restart();
        ImageInfo info = await inspector.InspectAsync(ImageReference.Parse(image), new ImageInspectionOptions { ReadFiles = true });
        inspectTimes.Add(watch.Elapsed.TotalSeconds);
        downloaded = info.BytesDownloaded;
        Check(info, manifestDigest);

        watch.Restart();
        ImageInfo again = await inspector.InspectAsync(ImageReference.Parse(image), new ImageInspectionOptions { ReadFiles = true });
        warmTimes.Add(watch.Elapsed.TotalSeconds);
        warmDownloaded = again.BytesDownloaded;
        Check(again, manifestDigest);

        Console.WriteLine($"run {run + 1}: skopeo copy {skopeoTimes[^1]:0.00} s, inspect with files (cold) {inspectTimes[^1]:0.00} s, {downloaded / 1024.0 / 1024.0:0.0} MiB downloaded; warm repeat {warmTimes[^1]:0.000} s, {warmDownloaded / 1024.0:0.0} KiB downloaded");
    }

    double skopeoMedian = Median(skopeoTimes);
    double inspectMedian = Median(inspectTimes);
    double warmMedian = Median(warmTimes);
    Console.WriteLine();
    Console.WriteLine($"compressed image size      {compressed,14:N0} bytes");
    Console.WriteLine($"downloaded by inspection   {downloaded,14:N0} bytes = {100.0 * downloaded / compressed:0.0}% (target <= 35%)");
    Console.WriteLine($"skopeo copy (median of {runs})  {skopeoMedian,8:0.00} s");
    Console.WriteLine($"inspection, cold (median of {runs}) {inspectMedian,8:0.00} s");
    Console.WriteLine($"speed-up                   {skopeoMedian / inspectMedian,8:0.0}x (target >= 3x)");
    Console.WriteLine($"warm repeat, same inspector (median of {runs}) {warmMedian,8:0.000} s, {warmDownloaded:N0} bytes downloaded (not part of the target)");
    Console.WriteLine($"cpu: {Environment.ProcessorCount} cores; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
    return downloaded <= 0.35 * compressed && skopeoMedian >= 3 * inspectMedian ? 0 : 1;
}
finally
{
    Directory.Delete(root, recursive: true);
    Console.WriteLine($"removed {root}");
}

static void Check(ImageInfo info, string manifestDigest)
{
    if (info.User?.UserName != "jovyan" || info.OsId != "debian" || info.Digest != manifestDigest)
    {
        throw new InvalidOperationException($"Wrong inspection result: user {info.User}, os {info.OsId}, digest {info.Digest}.");
    }
}

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static void Run(string program, params string[] arguments) =>
    ProcessRunner.Run(program, arguments, TimeSpan.FromMinutes(20)).EnsureSuccess(program + " " + arguments[0]);

static (string Digest, long Size, string DiffId) WriteLayer(string layout, int index, int mebibytes, bool baseLayer)
{
    var random = new Random(1000 + index);
    return WriteBlob(layout, writer =>
    {
        if (baseLayer)
        {
            AddDirectory(writer, "etc/");
            AddFile(writer, "etc/debian_version", Encoding.UTF8.GetBytes("12.7\n"));
            AddFile(writer, "etc/group", Encoding.UTF8.GetBytes("root:x:0:\nusers:x:100:\n"));
            writer.WriteEntry(new PaxTarEntry(TarEntryType.SymbolicLink, "etc/os-release") { LinkName = "../usr/lib/os-release" });
            AddFile(writer, "etc/passwd", Encoding.UTF8.GetBytes("root:x:0:0:root:/root:/bin/bash\n"));
            AddDirectory(writer, "usr/");
            AddDirectory(writer, "usr/lib/");
        }

        // In path order, as docker and buildkit write layers: a Debian-like base has /usr/bin and
        // part of /usr/lib before /usr/lib/os-release, and most of its bytes after it.
        var folders = baseLayer
            ? new[] { ("usr/bin", 64, false), ("usr/lib/apt", 16, true), ("usr/lib/x86_64-linux-gnu", 120, false), ("usr/share/doc", 112, false) }
            : new[] { ($"opt/pkg{index}", mebibytes, false) };
        byte[] chunk = new byte[8 * 1024 * 1024];
        foreach ((string folder, int size, bool thenOsRelease) in folders)
        {
            AddDirectory(writer, folder + "/");
            for (int i = 0; i < size / 8; i++)
            {
                random.NextBytes(chunk);
                AddFile(writer, $"{folder}/part-{i:D3}.bin", chunk);
            }

            if (thenOsRelease)
            {
                AddFile(writer, "usr/lib/os-release", Encoding.UTF8.GetBytes("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n"));
            }
        }
    });
}

static (string Digest, long Size, string DiffId) WriteTopLayer(string layout) => WriteBlob(layout, writer =>
{
    AddDirectory(writer, "etc/");
    AddFile(writer, "etc/group", Encoding.UTF8.GetBytes("root:x:0:\nusers:x:100:jovyan\n"));
    AddFile(writer, "etc/passwd", Encoding.UTF8.GetBytes("root:x:0:0:root:/root:/bin/bash\njovyan:x:1000:100::/home/jovyan:/bin/bash\n"));
    AddDirectory(writer, "home/jovyan/");
});

static void AddDirectory(TarWriter writer, string name) =>
    writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name) { Mode = (UnixFileMode)0b111_101_101 });

static void AddFile(TarWriter writer, string name, byte[] content) =>
    writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { Mode = (UnixFileMode)0b110_100_100, DataStream = new MemoryStream(content, writable: false) });

static (string Digest, long Size, string DiffId) WriteBlob(string layout, Action<TarWriter> write)
{
    string temporary = Path.Combine(layout, "blobs", "writing.tmp");
    using var diff = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    using (var file = File.Create(temporary))
    using (var gzip = new GZipStream(file, CompressionLevel.Fastest))
    using (var hashing = new HashingStream(gzip, diff))
    using (var tar = new TarWriter(hashing, TarEntryFormat.Pax))
    {
        write(tar);
    }

    string digest;
    using (var file = File.OpenRead(temporary))
    {
        digest = Convert.ToHexString(SHA256.HashData(file)).ToLowerInvariant();
    }

    long size = new FileInfo(temporary).Length;
    File.Move(temporary, Path.Combine(layout, "blobs", "sha256", digest));
    return ("sha256:" + digest, size, "sha256:" + Convert.ToHexString(diff.GetHashAndReset()).ToLowerInvariant());
}

static string WriteManifest(string layout, List<(string Digest, long Size, string DiffId)> layers)
{
    byte[] config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["architecture"] = "amd64",
        ["os"] = "linux",
        ["created"] = "2024-05-01T12:00:00Z",
        ["config"] = new Dictionary<string, object> { ["User"] = "1000", ["WorkingDir"] = "/home/jovyan", ["Cmd"] = new[] { "jupyter", "lab" } },
        ["rootfs"] = new Dictionary<string, object> { ["type"] = "layers", ["diff_ids"] = layers.Select(l => l.DiffId).ToArray() },
    });
    string configDigest = Store(layout, config);
    byte[] manifest = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["schemaVersion"] = 2,
        ["mediaType"] = MediaTypes.OciManifest,
        ["config"] = new Dictionary<string, object> { ["mediaType"] = MediaTypes.OciConfig, ["digest"] = configDigest, ["size"] = config.Length },
        ["layers"] = layers.Select(l => new Dictionary<string, object> { ["mediaType"] = MediaTypes.OciLayerGzip, ["digest"] = l.Digest, ["size"] = l.Size }).ToArray(),
    });
    string manifestDigest = Store(layout, manifest);
    File.WriteAllText(Path.Combine(layout, "oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
    File.WriteAllBytes(Path.Combine(layout, "index.json"), JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
    {
        ["schemaVersion"] = 2,
        ["manifests"] = new[]
        {
            new Dictionary<string, object>
            {
                ["mediaType"] = MediaTypes.OciManifest,
                ["digest"] = manifestDigest,
                ["size"] = manifest.Length,
                ["annotations"] = new Dictionary<string, string> { ["org.opencontainers.image.ref.name"] = "big" },
            },
        },
    }));
    return manifestDigest;
}

static string Store(string layout, byte[] content)
{
    string hex = Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();
    File.WriteAllBytes(Path.Combine(layout, "blobs", "sha256", hex), content);
    return "sha256:" + hex;
}

/// <summary>Hashes what passes through on its way to the compressor (the layer's diff id).</summary>
internal sealed class HashingStream(Stream inner, IncrementalHash hash) : Stream
{
    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Write(byte[] buffer, int offset, int count)
    {
        hash.AppendData(buffer, offset, count);
        inner.Write(buffer, offset, count);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        hash.AppendData(buffer);
        inner.Write(buffer);
    }

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
