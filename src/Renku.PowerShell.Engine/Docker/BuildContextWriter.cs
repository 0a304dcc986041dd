using System.Formats.Tar;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Lists a build context (honouring <c>.dockerignore</c>) and streams it as a tar, one file at a
/// time, so a context of any size passes through a small fixed buffer. Entries keep their file
/// modes and modification times; owners are root, as with the Docker CLI.
/// </summary>
internal static class BuildContextWriter
{
    /// <summary>Walks <paramref name="directory"/> in ordinal name order and lists what is sent.</summary>
    public static BuildContext Scan(string directory, DockerIgnore ignore, CancellationToken cancellationToken)
    {
        var entries = new List<BuildContextEntry>();
        var pending = new Stack<(string Path, string Relative)>();
        pending.Push((directory, string.Empty));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (string current, string currentRelative) = pending.Pop();
            var children = new DirectoryInfo(current).GetFileSystemInfos();
            Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));

            // Directories are pushed in reverse so that they come off the stack in name order.
            var subdirectories = new List<(string, string)>();
            foreach (FileSystemInfo child in children)
            {
                string relative = currentRelative.Length == 0 ? child.Name : currentRelative + "/" + child.Name;
                bool isLink = child.LinkTarget is not null;
                bool isDirectory = !isLink && child is DirectoryInfo;
                if (ignore.IsExcluded(relative))
                {
                    if (isDirectory && ignore.MustDescendInto(relative))
                    {
                        subdirectories.Add((child.FullName, relative));
                    }

                    continue;
                }

                if (isLink)
                {
                    entries.Add(new BuildContextEntry(child.FullName, relative, BuildContextEntryKind.SymbolicLink, 0, ModeOf(child, isDirectory: false), child.LastWriteTimeUtc, child.LinkTarget));
                }
                else if (isDirectory)
                {
                    entries.Add(new BuildContextEntry(child.FullName, relative + "/", BuildContextEntryKind.Directory, 0, ModeOf(child, isDirectory: true), child.LastWriteTimeUtc, null));
                    subdirectories.Add((child.FullName, relative));
                }
                else if (child is FileInfo file && IsRegularFile(file))
                {
                    entries.Add(new BuildContextEntry(file.FullName, relative, BuildContextEntryKind.File, file.Length, ModeOf(file, isDirectory: false), file.LastWriteTimeUtc, null));
                }
            }

            for (int i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        return new BuildContext(directory, entries);
    }

    /// <summary>
    /// Writes the context as a tar to <paramref name="output"/>; <paramref name="extra"/> adds a
    /// file from outside the context (a Dockerfile kept elsewhere) under the given name. Runs
    /// synchronously: file reads on a dedicated thread are much cheaper than an async hop per read.
    /// </summary>
    public static void Write(BuildContext context, Stream output, (string SourcePath, string Name)? extra, CancellationToken cancellationToken)
    {
        using var writer = new TarWriter(output, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (BuildContextEntry entry in context.Entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            WriteEntry(writer, entry);
        }

        if (extra is { } outside)
        {
            var info = new FileInfo(outside.SourcePath);
            WriteEntry(writer, new BuildContextEntry(info.FullName, outside.Name, BuildContextEntryKind.File, info.Length, (UnixFileMode)0b110_100_100, info.LastWriteTimeUtc, null));
        }
    }

    private static void WriteEntry(TarWriter writer, BuildContextEntry entry)
    {
        TarEntryType type = entry.Kind switch
        {
            BuildContextEntryKind.Directory => TarEntryType.Directory,
            BuildContextEntryKind.SymbolicLink => TarEntryType.SymbolicLink,
            _ => TarEntryType.RegularFile,
        };
        var tarEntry = new GnuTarEntry(type, entry.Name)
        {
            Mode = entry.Mode,
            ModificationTime = entry.Modified,
            Uid = 0,
            Gid = 0,
        };
        if (entry.Kind == BuildContextEntryKind.SymbolicLink)
        {
            tarEntry.LinkName = entry.LinkTarget!;
        }

        if (entry.Kind != BuildContextEntryKind.File)
        {
            writer.WriteEntry(tarEntry);
            return;
        }

        // bufferSize 1: no FileStream buffer, the tar writer copies in large blocks itself.
        using var content = new FileStream(entry.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        tarEntry.DataStream = content;
        writer.WriteEntry(tarEntry);
    }

    private static UnixFileMode ModeOf(FileSystemInfo info, bool isDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            // Windows has no modes; like the Docker CLI, send everything readable and executable.
            return (UnixFileMode)0b111_101_101;
        }

        return info.UnixFileMode;
    }

    private static bool IsRegularFile(FileInfo file)
    {
        // Sockets, pipes and devices cannot go into a context; .NET reports them as files with no target.
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        return (file.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) == 0;
    }
}
