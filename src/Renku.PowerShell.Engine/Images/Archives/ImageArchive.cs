using System.Text;

using Renku.PowerShell.Registry;
using Renku.PowerShell.Images.Layers;

namespace Renku.PowerShell.Images.Archives;

/// <summary>
/// Random access to the files of an image archive: a folder (an OCI layout or an unpacked
/// <c>docker save</c>) or a tar file holding one, indexed once so that members are read in place.
/// </summary>
internal sealed class ImageArchive
{
    private const int MaxLinkDepth = 8;
    private readonly string root;
    private readonly bool isDirectory;
    private readonly Dictionary<string, TarMember> members = new(StringComparer.Ordinal);
    private long? pendingPaxSize;

    private ImageArchive(string root, bool isDirectory)
    {
        this.root = root;
        this.isDirectory = isDirectory;
    }

    internal string Root => root;

    internal static ImageArchive Open(string path)
    {
        if (Directory.Exists(path))
        {
            return new ImageArchive(Path.GetFullPath(path), isDirectory: true);
        }

        if (!File.Exists(path))
        {
            throw new RegistryException(RegistryErrorKind.NotFound, $"The archive '{path}' does not exist.");
        }

        var archive = new ImageArchive(Path.GetFullPath(path), isDirectory: false);
        archive.Index();
        return archive;
    }

    internal bool Exists(string name) => isDirectory ? File.Exists(FullPath(name)) : Find(name) is not null;

    internal long Length(string name) => isDirectory ? new FileInfo(FullPath(name)).Length : Find(name)?.Size ?? throw Missing(name);

    internal Stream OpenRead(string name)
    {
        if (isDirectory)
        {
            string full = FullPath(name);
            return File.Exists(full) ? new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true) : throw Missing(name);
        }

        TarMember member = Find(name) ?? throw Missing(name);
        var file = new FileStream(root, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return new SubStream(file, member.Offset, member.Size);
    }

    internal async Task<byte[]> ReadAllAsync(string name, long maxBytes, CancellationToken ct)
    {
        long length = Length(name);
        if (length > maxBytes)
        {
            throw new RegistryException(RegistryErrorKind.TooLarge, $"'{name}' in the archive is {length} bytes; at most {maxBytes} are accepted.");
        }

        await using Stream stream = OpenRead(name);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return buffer.ToArray();
    }

    private string FullPath(string name)
    {
        string full = Path.GetFullPath(Path.Combine(root, name));
        if (!full.StartsWith(root.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new RegistryException(RegistryErrorKind.InvalidArchive, $"The archive names '{name}', which is outside it.");
        }

        return full;
    }

    private TarMember? Find(string name)
    {
        string key = Layers.LayerPaths.Normalise(name);
        for (int depth = 0; depth <= MaxLinkDepth; depth++)
        {
            if (!members.TryGetValue(key, out TarMember? member))
            {
                return null;
            }

            if (member.LinkTarget is null)
            {
                return member;
            }

            key = Layers.LayerPaths.ResolveLink(key, member.LinkTarget);
        }

        return null;
    }

    private static RegistryException Missing(string name) =>
        new(RegistryErrorKind.InvalidArchive, $"The archive has no '{name}'; it is not a complete docker save archive or OCI layout.");

    /// <summary>Reads the tar headers (ustar, GNU long names, pax paths) and notes where each member's data is.</summary>
    private void Index()
    {
        using var file = new FileStream(root, FileMode.Open, FileAccess.Read, FileShare.Read);
        byte[] header = new byte[512];
        string? longName = null;
        string? longLink = null;
        long offset = 0;
        int zeroBlocks = 0;
        while (offset + 512 <= file.Length)
        {
            file.Position = offset;
            file.ReadExactly(header);
            offset += 512;
            if (header.All(b => b == 0))
            {
                if (++zeroBlocks == 2)
                {
                    break;
                }

                continue;
            }

            zeroBlocks = 0;
            if (!ChecksumMatches(header))
            {
                throw new RegistryException(RegistryErrorKind.InvalidArchive, $"'{root}' is not a tar archive (bad header checksum at byte {offset - 512}).");
            }

            long size = ParseNumber(header.AsSpan(124, 12));
            char type = (char)header[156];
            string name = Text(header.AsSpan(0, 100));
            string link = Text(header.AsSpan(157, 100));
            if (Text(header.AsSpan(257, 5)) == "ustar")
            {
                string prefix = Text(header.AsSpan(345, 155));
                if (prefix.Length > 0)
                {
                    name = prefix + "/" + name;
                }
            }

            long dataOffset = offset;
            offset += (size + 511) / 512 * 512;
            switch (type)
            {
                case 'L':
                    longName = ReadText(file, dataOffset, size);
                    continue;
                case 'K':
                    longLink = ReadText(file, dataOffset, size);
                    continue;
                case 'x':
                    foreach ((string key, string value) in PaxRecords(ReadText(file, dataOffset, size)))
                    {
                        if (key == "path")
                        {
                            longName = value;
                        }
                        else if (key == "linkpath")
                        {
                            longLink = value;
                        }
                        else if (key == "size" && long.TryParse(value, out long paxSize))
                        {
                            // The real size follows in the next header's data; pax overrides it.
                            pendingPaxSize = paxSize;
                        }
                    }

                    continue;
                case 'g':
                    continue;
            }

            name = longName ?? name;
            link = longLink ?? link;
            if (pendingPaxSize is long overridden)
            {
                offset = dataOffset + (overridden + 511) / 512 * 512;
                size = overridden;
            }

            longName = null;
            longLink = null;
            pendingPaxSize = null;
            string key2 = Layers.LayerPaths.Normalise(name);
            if (type is '0' or '\0' or '7')
            {
                members[key2] = new TarMember(dataOffset, size, null);
            }
            else if (type == '2')
            {
                members[key2] = new TarMember(0, 0, link);
            }
            else if (type == '1')
            {
                string target = Layers.LayerPaths.Normalise(link);
                if (members.TryGetValue(target, out TarMember? original))
                {
                    members[key2] = original;
                }
            }
        }
    }

    private static bool ChecksumMatches(byte[] header)
    {
        long stored = ParseNumber(header.AsSpan(148, 8));
        long sum = 0;
        for (int i = 0; i < 512; i++)
        {
            sum += i is >= 148 and < 156 ? 32 : header[i];
        }

        return sum == stored;
    }

    private static long ParseNumber(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            // GNU base-256 for sizes of 8 GiB and more.
            long big = field[0] & 0x7f;
            for (int i = 1; i < field.Length; i++)
            {
                big = (big << 8) | field[i];
            }

            return big;
        }

        long value = 0;
        foreach (byte b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                value = (value * 8) + (b - '0');
            }
            else if (value > 0 && (b == 0 || b == ' '))
            {
                break;
            }
        }

        return value;
    }

    private static string Text(ReadOnlySpan<byte> field)
    {
        int end = field.IndexOf((byte)0);
        return Encoding.UTF8.GetString(end < 0 ? field : field.Slice(0, end));
    }

    private static string ReadText(FileStream file, long offset, long size)
    {
        if (size > 1024 * 1024)
        {
            throw new RegistryException(RegistryErrorKind.InvalidArchive, "The archive has a tar extended header over 1 MiB; refused.");
        }

        byte[] data = new byte[size];
        file.Position = offset;
        file.ReadExactly(data);
        return Encoding.UTF8.GetString(data).TrimEnd('\0');
    }

    private static IEnumerable<(string Key, string Value)> PaxRecords(string text)
    {
        int i = 0;
        while (i < text.Length)
        {
            int space = text.IndexOf(' ', i);
            if (space < 0 || !int.TryParse(text.AsSpan(i, space - i), out int length) || length <= 0 || i + length > text.Length)
            {
                yield break;
            }

            string record = text.Substring(space + 1, i + length - space - 2);
            int eq = record.IndexOf('=');
            if (eq > 0)
            {
                yield return (record.Substring(0, eq), record.Substring(eq + 1));
            }

            i += length;
        }
    }

    private sealed record TarMember(long Offset, long Size, string? LinkTarget);

    /// <summary>A window of a file, owning the file stream.</summary>
    private sealed class SubStream : Stream
    {
        private readonly FileStream file;
        private readonly long start;
        private readonly long length;
        private long position;

        internal SubStream(FileStream file, long start, long length)
        {
            this.file = file;
            this.start = start;
            this.length = length;
            file.Position = start;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => length;

        public override long Position { get => position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int wanted = (int)Math.Min(buffer.Length, length - position);
            if (wanted <= 0)
            {
                return 0;
            }

            int read = file.Read(buffer.Slice(0, wanted));
            position += read;
            return read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int wanted = (int)Math.Min(buffer.Length, length - position);
            if (wanted <= 0)
            {
                return 0;
            }

            int read = await file.ReadAsync(buffer.Slice(0, wanted), cancellationToken).ConfigureAwait(false);
            position += read;
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
