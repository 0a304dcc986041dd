using System.Runtime.InteropServices;

namespace Renku.PowerShell.Builds;

/// <summary>
/// What <c>lstat</c> says about a path, which .NET does not fully expose: the file type (fifos,
/// sockets and devices apart), the permission bits of a link itself, the inode that tells hard
/// links apart, and a device's numbers. Read with <c>statx</c> on Linux (its layout is the same on
/// every architecture); elsewhere from .NET's own view.
/// </summary>
internal readonly record struct FileStatus(FileStatusKind Kind, UnixFileMode Mode, ulong Device, ulong Inode, uint Links, uint DeviceMajor, uint DeviceMinor, long Size)
{
    private const int AtCurrentDirectory = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint BasicStats = 0x7ff;
    private const int StatxSize = 256;

    /// <summary>The status of <paramref name="path"/> itself (a link is not followed), or null when it vanished.</summary>
    public static FileStatus? Of(FileSystemInfo info)
    {
        if (OperatingSystem.IsLinux())
        {
            return OfLinux(info.FullName);
        }

        info.Refresh();
        if (!info.Exists && info.LinkTarget is null)
        {
            return null;
        }

        if (info.LinkTarget is not null)
        {
            return new FileStatus(FileStatusKind.SymbolicLink, (UnixFileMode)0b111_111_111, 0, 0, 1, 0, 0, 0);
        }

        if (info is DirectoryInfo)
        {
            return new FileStatus(FileStatusKind.Directory, ModeOrDefault(info, 0b111_101_101), 0, 0, 1, 0, 0, 0);
        }

        // .NET cannot tell fifos, sockets and devices apart here; they show as files with odd attributes.
        bool special = !OperatingSystem.IsWindows() && (info.Attributes & (FileAttributes.Device | FileAttributes.ReparsePoint)) != 0;
        return new FileStatus(special ? FileStatusKind.Other : FileStatusKind.File, ModeOrDefault(info, 0b110_100_100), 0, 0, 1, 0, 0, ((FileInfo)info).Length);
    }

    private static UnixFileMode ModeOrDefault(FileSystemInfo info, int fallback)
    {
        // Windows has no modes; like the Docker CLI, send everything readable (and directories and files executable).
        return OperatingSystem.IsWindows() ? (UnixFileMode)0b111_101_101 : info.UnixFileMode is var mode && (int)mode >= 0 ? mode : (UnixFileMode)fallback;
    }

    private static FileStatus? OfLinux(string path)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(AtCurrentDirectory, path, AtSymlinkNoFollow, BasicStats, ref MemoryMarshal.GetReference(buffer)) != 0)
        {
            int error = Marshal.GetLastPInvokeError();
            const int NoSuchFile = 2, NotADirectory = 20;
            if (error is NoSuchFile or NotADirectory)
            {
                return null;
            }

            throw new IOException($"Could not read the status of '{path}': {Marshal.GetPInvokeErrorMessage(error)}.");
        }

        uint links = BitConverter.ToUInt32(buffer[16..]);
        ushort mode = BitConverter.ToUInt16(buffer[28..]);
        ulong inode = BitConverter.ToUInt64(buffer[32..]);
        long size = (long)BitConverter.ToUInt64(buffer[40..]);
        uint rdevMajor = BitConverter.ToUInt32(buffer[128..]);
        uint rdevMinor = BitConverter.ToUInt32(buffer[132..]);
        ulong device = ((ulong)BitConverter.ToUInt32(buffer[136..]) << 32) | BitConverter.ToUInt32(buffer[140..]);
        FileStatusKind kind = (mode & 0xF000) switch
        {
            0x8000 => FileStatusKind.File,
            0x4000 => FileStatusKind.Directory,
            0xA000 => FileStatusKind.SymbolicLink,
            0x1000 => FileStatusKind.Fifo,
            0xC000 => FileStatusKind.Socket,
            0x2000 => FileStatusKind.CharacterDevice,
            0x6000 => FileStatusKind.BlockDevice,
            _ => FileStatusKind.Other,
        };
        return new FileStatus(kind, (UnixFileMode)(mode & 0xFFF), device, inode, links, rdevMajor, rdevMinor, size);
    }

    [DllImport("libc", EntryPoint = "statx", SetLastError = true)]
    private static extern int Statx(int directory, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, ref byte buffer);
}
