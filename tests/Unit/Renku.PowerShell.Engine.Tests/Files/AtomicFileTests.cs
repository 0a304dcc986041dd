using System.Text;

using Renku.PowerShell.Files;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Files;

/// <summary>Whole-file replacement: the old file or the new one, never half of one, and no temporary file left behind whatever fails.</summary>
public sealed class AtomicFileTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-atomic-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void ReplacesTheContentAndKeepsTheMode()
    {
        string path = Path.Combine(directory, "Dockerfile");
        File.WriteAllText(path, "old");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        }

        AtomicFile.Replace(path, Encoding.UTF8.GetBytes("new"));
        Assert.Equal("new", File.ReadAllText(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        }

        Assert.Single(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void AFailedRenameLeavesNoTemporaryFile()
    {
        // A directory cannot be replaced by a file: the content is written, the rename fails.
        string occupied = Path.Combine(directory, "Dockerfile");
        Directory.CreateDirectory(occupied);
        File.WriteAllText(Path.Combine(occupied, "keep"), "x");
        Assert.ThrowsAny<IOException>(() => AtomicFile.Replace(occupied, Encoding.UTF8.GetBytes("FROM base:1.1.0\n")));
        Assert.Equal(new[] { "Dockerfile" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
        Assert.Equal("x", File.ReadAllText(Path.Combine(occupied, "keep")));
    }

    [Fact]
    public void ALastCheckThatFailsLeavesTheOriginalAndNoTemporaryFile()
    {
        string path = Path.Combine(directory, "environments.yaml");
        File.WriteAllText(path, "environments: []\n");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Replace(path, Encoding.UTF8.GetBytes("changed"), () => throw new InvalidOperationException("the original changed")));
        Assert.Equal("environments: []\n", File.ReadAllText(path));
        Assert.Single(Directory.GetFileSystemEntries(directory));
    }

    [Fact]
    public void WritesANewFile()
    {
        string path = Path.Combine(directory, "new.json");
        AtomicFile.WriteAllText(path, "{}", new UTF8Encoding(false));
        Assert.Equal(new byte[] { (byte)'{', (byte)'}' }, File.ReadAllBytes(path));
    }
}
