using System.Formats.Tar;

using Renku.PowerShell.Builds;

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

    [SkippableFact]
    public void SpecialEntriesGoInAsTheDockerCliSendsThem()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip.If(true, "fifos, sockets and inodes are read with Linux's statx");
            return;
        }

        Write("a.txt", "shared");
        Assert.Equal(0, Link(Path.Combine(root, "a.txt"), Path.Combine(root, "b-hard.txt")));
        File.CreateSymbolicLink(Path.Combine(root, "dangling"), "nowhere/at/all");
        File.CreateSymbolicLink(Path.Combine(root, "good"), "a.txt");
        MakeFifo(Path.Combine(root, "pipe"));
        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(root, "sock")));

        BuildContext context = BuildContextWriter.Scan(root, DockerIgnore.Empty, CancellationToken.None);
        Assert.Equal(new[] { "sock" }, context.SkippedSockets);
        Assert.Equal(2, context.FileCount);

        var entries = ReadTar(context);
        Assert.Equal(new[] { "a.txt", "b-hard.txt", "dangling", "good", "pipe" }, entries.Keys.ToArray());
        Assert.Equal(TarEntryType.RegularFile, entries["a.txt"].EntryType);
        Assert.Equal(TarEntryType.HardLink, entries["b-hard.txt"].EntryType);
        Assert.Equal("a.txt", entries["b-hard.txt"].LinkName);
        Assert.Equal(TarEntryType.SymbolicLink, entries["dangling"].EntryType);
        Assert.Equal("nowhere/at/all", entries["dangling"].LinkName);
        Assert.Equal((UnixFileMode)0b111_111_111, entries["dangling"].Mode);
        Assert.Equal(TarEntryType.Fifo, entries["pipe"].EntryType);
    }

    [SkippableFact]
    public void AnUnreadableFileFailsTheScanNamingIt()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip.If(true, "the test drops root's read override for one thread with Linux's setfsuid");
            return;
        }

        Write("ok.txt", "fine");
        Write("secret/key.pem", "k");
        File.SetUnixFileMode(Path.Combine(root, "secret/key.pem"), UnixFileMode.None);

        var ex = Assert.IsType<BuildContextException>(RunAsNobody(() => BuildContextWriter.Scan(root, DockerIgnore.Empty, CancellationToken.None)));
        Assert.Equal("secret/key.pem", ex.RelativePath);
        Assert.Contains("'secret/key.pem' cannot be read", ex.Message, StringComparison.Ordinal);

        // Left out by .dockerignore it is never opened, as with the CLI.
        Assert.Null(RunAsNobody(() => BuildContextWriter.Scan(root, DockerIgnore.Parse("secret/key.pem"), CancellationToken.None)));

        // A folder that cannot be listed is named the same way.
        File.SetUnixFileMode(Path.Combine(root, "secret"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var folder = Assert.IsType<BuildContextException>(RunAsNobody(() => BuildContextWriter.Scan(root, DockerIgnore.Parse("secret/key.pem"), CancellationToken.None)));
        Assert.Equal("secret/", folder.RelativePath);
    }

    [Fact]
    public void AFileRemovedAfterTheListingFailsTheStreamNamingIt()
    {
        Write("keep.txt", "k");
        Write("data/gone.bin", "soon gone");
        BuildContext context = BuildContextWriter.Scan(root, DockerIgnore.Empty, CancellationToken.None);
        File.Delete(Path.Combine(root, "data/gone.bin"));

        var ex = Assert.Throws<BuildContextException>(() => BuildContextWriter.Write(context, new MemoryStream(), null, CancellationToken.None));
        Assert.Equal("data/gone.bin", ex.RelativePath);
        Assert.Contains("was removed while the build context was read or sent", ex.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        // Undo what the tests made unreadable so the folder can go.
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 }).Prepend(root))
        {
            if (!OperatingSystem.IsWindows() && Directory.Exists(path) && new FileInfo(path).LinkTarget is null)
            {
                File.SetUnixFileMode(path, (UnixFileMode)0b111_101_101);
            }
        }

        Directory.Delete(root, recursive: true);
    }

    /// <summary>
    /// Runs <paramref name="action"/> on a thread whose file system uid is nobody's, so even a root
    /// test process meets permission checks there (setfsuid is per thread); returns what it threw.
    /// </summary>
    private static Exception? RunAsNobody(Action action)
    {
        Exception? thrown = null;
        var thread = new Thread(() =>
        {
            bool root = Environment.UserName == "root";
            if (root)
            {
                _ = SetFsUid(65534);
            }

            try
            {
                action();
            }
            catch (Exception ex)
            {
                thrown = ex;
            }
            finally
            {
                if (root)
                {
                    _ = SetFsUid(0);
                }
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(30)));
        return thrown;
    }

    private static void MakeFifo(string path)
    {
        if (MkFifo(path, 0b110_100_100) != 0)
        {
            throw new IOException("mkfifo failed: " + System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "link")]
    private static extern int Link([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string existing, [System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string created);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "setfsuid")]
    private static extern int SetFsUid(uint fsuid);

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo", SetLastError = true)]
    private static extern int MkFifo([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, uint mode);

    private static Dictionary<string, TarEntry> ReadTar(BuildContext context)
    {
        var tar = new MemoryStream();
        BuildContextWriter.Write(context, tar, null, CancellationToken.None);
        tar.Position = 0;
        var entries = new Dictionary<string, TarEntry>();
        using var reader = new TarReader(tar);
        TarEntry? entry;
        while ((entry = reader.GetNextEntry(copyData: true)) is not null)
        {
            entries[entry.Name] = entry;
        }

        return entries;
    }

    private void Write(string relative, string content)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
