using System.Formats.Tar;

namespace Renku.PowerShell.Builds;

/// <summary>
/// Lists a build context (honouring <c>.dockerignore</c>) and streams it as a tar, one file at a
/// time, so a context of any size passes through a small fixed buffer. Entries are what the docker
/// CLI sends: files, folders, symbolic links (dangling ones too, as links), a second name of a file
/// as a hard link to the first, fifos and devices as such (never opened); sockets are left out.
/// Modes and modification times are kept; owners are root, as with the CLI.
/// </summary>
internal static class BuildContextWriter
{
    /// <summary>
    /// Walks <paramref name="directory"/> in ordinal name order and lists what is sent. Like the
    /// CLI, every file that is sent is opened once here, so one that cannot be read fails the
    /// build (with <see cref="BuildContextException"/>) before anything is sent.
    /// </summary>
    public static BuildContext Scan(string directory, DockerIgnore ignore, CancellationToken cancellationToken)
    {
        var entries = new List<BuildContextEntry>();
        var skipped = new List<string>();
        var firstNames = new Dictionary<(ulong Device, ulong Inode), string>();
        var pending = new Stack<(string Path, string Relative)>();
        pending.Push((directory, string.Empty));
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            (string current, string currentRelative) = pending.Pop();
            FileSystemInfo[] children = List(current, currentRelative);
            Array.Sort(children, (a, b) => string.CompareOrdinal(a.Name, b.Name));

            // Directories are pushed in reverse so that they come off the stack in name order.
            var subdirectories = new List<(string, string)>();
            foreach (FileSystemInfo child in children)
            {
                string relative = currentRelative.Length == 0 ? child.Name : currentRelative + "/" + child.Name;
                FileStatus status = FileStatus.Of(child) ?? throw BuildContextException.Vanished(relative, null);
                bool isDirectory = status.Kind == FileStatusKind.Directory;
                if (ignore.IsExcluded(relative))
                {
                    if (isDirectory && ignore.MustDescendInto(relative))
                    {
                        subdirectories.Add((child.FullName, relative));
                    }

                    continue;
                }

                DateTimeOffset modified = child.LastWriteTimeUtc;
                switch (status.Kind)
                {
                    case FileStatusKind.SymbolicLink:
                        entries.Add(new BuildContextEntry(child.FullName, relative, BuildContextEntryKind.SymbolicLink, 0, status.Mode, modified, child.LinkTarget ?? string.Empty));
                        break;
                    case FileStatusKind.Directory:
                        entries.Add(new BuildContextEntry(child.FullName, relative + "/", BuildContextEntryKind.Directory, 0, status.Mode, modified, null));
                        subdirectories.Add((child.FullName, relative));
                        break;
                    case FileStatusKind.File:
                        EnsureReadable(child.FullName, relative);
                        if (status.Links > 1 && status.Inode != 0)
                        {
                            if (firstNames.TryGetValue((status.Device, status.Inode), out string? first))
                            {
                                entries.Add(new BuildContextEntry(child.FullName, relative, BuildContextEntryKind.HardLink, 0, status.Mode, modified, first));
                                break;
                            }

                            firstNames[(status.Device, status.Inode)] = relative;
                        }

                        entries.Add(new BuildContextEntry(child.FullName, relative, BuildContextEntryKind.File, status.Size, status.Mode, modified, null));
                        break;
                    case FileStatusKind.Fifo:
                        entries.Add(new BuildContextEntry(child.FullName, relative, BuildContextEntryKind.Fifo, 0, status.Mode, modified, null));
                        break;
                    case FileStatusKind.CharacterDevice or FileStatusKind.BlockDevice:
                        var kind = status.Kind == FileStatusKind.CharacterDevice ? BuildContextEntryKind.CharacterDevice : BuildContextEntryKind.BlockDevice;
                        entries.Add(new BuildContextEntry(child.FullName, relative, kind, 0, status.Mode, modified, null, (int)status.DeviceMajor, (int)status.DeviceMinor));
                        break;
                    default:
                        skipped.Add(relative);
                        break;
                }
            }

            for (int i = subdirectories.Count - 1; i >= 0; i--)
            {
                pending.Push(subdirectories[i]);
            }
        }

        return new BuildContext(directory, entries, skipped);
    }

    /// <summary>
    /// Writes the context as a tar to <paramref name="output"/>; <paramref name="extra"/> adds a
    /// file from outside the context (a Dockerfile kept elsewhere) under the given name. Runs
    /// synchronously: file reads on a dedicated thread are much cheaper than an async hop per read.
    /// A file that is gone or unreadable by now throws <see cref="BuildContextException"/> naming it.
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

    private static FileSystemInfo[] List(string directory, string relative)
    {
        try
        {
            return new DirectoryInfo(directory).GetFileSystemInfos();
        }
        catch (UnauthorizedAccessException ex)
        {
            throw BuildContextException.Unreadable(relative.Length == 0 ? "." : relative + "/", ex);
        }
        catch (DirectoryNotFoundException ex)
        {
            throw BuildContextException.Vanished(relative.Length == 0 ? "." : relative + "/", ex);
        }
    }

    private static void EnsureReadable(string path, string relative)
    {
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw BuildContextException.Unreadable(relative, ex);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BuildContextException.Vanished(relative, ex);
        }
        catch (IOException ex)
        {
            throw BuildContextException.Unreadable(relative, ex);
        }
    }

    private static void WriteEntry(TarWriter writer, BuildContextEntry entry)
    {
        TarEntryType type = entry.Kind switch
        {
            BuildContextEntryKind.Directory => TarEntryType.Directory,
            BuildContextEntryKind.SymbolicLink => TarEntryType.SymbolicLink,
            BuildContextEntryKind.HardLink => TarEntryType.HardLink,
            BuildContextEntryKind.Fifo => TarEntryType.Fifo,
            BuildContextEntryKind.CharacterDevice => TarEntryType.CharacterDevice,
            BuildContextEntryKind.BlockDevice => TarEntryType.BlockDevice,
            _ => TarEntryType.RegularFile,
        };
        var tarEntry = new GnuTarEntry(type, entry.Name)
        {
            Mode = entry.Mode,
            ModificationTime = entry.Modified,
            Uid = 0,
            Gid = 0,
        };
        if (entry.Kind is BuildContextEntryKind.SymbolicLink or BuildContextEntryKind.HardLink)
        {
            tarEntry.LinkName = entry.LinkTarget!;
        }

        if (entry.Kind is BuildContextEntryKind.CharacterDevice or BuildContextEntryKind.BlockDevice)
        {
            tarEntry.DeviceMajor = entry.DeviceMajor;
            tarEntry.DeviceMinor = entry.DeviceMinor;
        }

        if (entry.Kind != BuildContextEntryKind.File)
        {
            writer.WriteEntry(tarEntry);
            return;
        }

        FileStream content;
        try
        {
            // bufferSize 1: no FileStream buffer, the tar writer copies in large blocks itself.
            content = new FileStream(entry.SourcePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw BuildContextException.Vanished(entry.Name, ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw BuildContextException.Unreadable(entry.Name, ex);
        }

        using (content)
        {
            tarEntry.DataStream = content;
            writer.WriteEntry(tarEntry);
        }
    }
}
