using System.Formats.Tar;

using Renku.PowerShell.Docker;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Builds;

public sealed class BuildContextWriterTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "renku-ps-ctx-" + Guid.NewGuid().ToString("N")[..8]);

    public BuildContextWriterTests()
    {
        Directory.CreateDirectory(root);
    }

    [Fact]
    public async Task TheTarHoldsWhatDockerignoreLetsThroughWithModesAndLinks()
    {
        Write("Dockerfile", "FROM scratch\n");
        Write(".dockerignore", "*.log\nsecrets\n!secrets/public.txt\nDockerfile\n");
        Write("app/main.py", "print(1)\n");
        Write("app/run.sh", "#!/bin/sh\n");
        Write("debug.log", "noise");
        Write("secrets/private.key", "k");
        Write("secrets/public.txt", "p");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(root, "app/run.sh"), (UnixFileMode)0b111_101_000);
            File.CreateSymbolicLink(Path.Combine(root, "app/link"), "main.py");
        }

        DockerIgnore ignore = DockerIgnore.Load(root).AlwaysKeeping(".dockerignore", "Dockerfile");
        BuildContext context = BuildContextWriter.Scan(root, ignore, CancellationToken.None);
        var tar = new MemoryStream();
        BuildContextWriter.Write(context, tar, null, CancellationToken.None);
        tar.Position = 0;

        var entries = new Dictionary<string, TarEntry>();
        using (var reader = new TarReader(tar))
        {
            TarEntry? entry;
            while ((entry = reader.GetNextEntry(copyData: true)) is not null)
            {
                entries[entry.Name] = entry;
            }
        }

        Assert.Contains("Dockerfile", entries.Keys);
        Assert.Contains(".dockerignore", entries.Keys);
        Assert.Contains("app/", entries.Keys);
        Assert.Contains("app/main.py", entries.Keys);
        Assert.Contains("secrets/public.txt", entries.Keys);
        Assert.DoesNotContain("debug.log", entries.Keys);
        Assert.DoesNotContain("secrets/private.key", entries.Keys);
        Assert.DoesNotContain("secrets/", entries.Keys);
        Assert.Equal(0, entries["app/main.py"].Uid);
        Assert.Equal("print(1)\n", new StreamReader(entries["app/main.py"].DataStream!).ReadToEnd());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal((UnixFileMode)0b111_101_000, entries["app/run.sh"].Mode);
            Assert.Equal(TarEntryType.SymbolicLink, entries["app/link"].EntryType);
            Assert.Equal("main.py", entries["app/link"].LinkName);
        }

        Assert.Equal(context.FileCount, entries.Values.Count(e => e.EntryType == TarEntryType.RegularFile));
    }

    [Fact]
    public void TheBiggestTopLevelEntriesAreNamed()
    {
        Write("data/a.bin", new string('x', 5000));
        Write("data/b.bin", new string('x', 5000));
        Write("model.bin", new string('x', 7000));
        Write("small.txt", "x");
        BuildContext context = BuildContextWriter.Scan(root, DockerIgnore.Empty, CancellationToken.None);
        var largest = context.LargestTopLevelEntries(2);
        Assert.Equal(new[] { "data/", "model.bin" }, largest.Select(p => p.Key).ToArray());
        Assert.Equal(10000, largest[0].Value);
        Assert.Equal(17001, context.TotalBytes);
    }

    [Fact]
    public async Task AFileOutsideTheContextIsAddedUnderItsName()
    {
        Write("a.txt", "a");
        string outside = Path.Combine(Path.GetTempPath(), "renku-ps-df-" + Guid.NewGuid().ToString("N")[..8]);
        File.WriteAllText(outside, "FROM scratch\n");
        try
        {
            BuildContext context = BuildContextWriter.Scan(root, DockerIgnore.Empty, CancellationToken.None);
            var tar = new MemoryStream();
            BuildContextWriter.Write(context, tar, (outside, ".dockerfile.abc"), CancellationToken.None);
            tar.Position = 0;
            using var reader = new TarReader(tar);
            var names = new List<string>();
            TarEntry? entry;
            while ((entry = reader.GetNextEntry()) is not null)
            {
                names.Add(entry.Name);
            }

            Assert.Equal(new[] { "a.txt", ".dockerfile.abc" }, names.ToArray());
        }
        finally
        {
            File.Delete(outside);
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private void Write(string relative, string content)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
