namespace Renku.PowerShell.Images.Layers;

/// <summary>
/// Passes a tar stream through and follows its headers, refusing a metadata entry (pax extended
/// header, GNU long name or link) that declares more than <see cref="MaxMetadataBytes"/>:
/// System.Formats.Tar reads such an entry into one array of the declared size, so a few hundred
/// bytes of hostile header would otherwise allocate up to 2 GiB.
/// </summary>
internal sealed class TarMetadataGuard : Stream
{
    internal const long MaxMetadataBytes = 1024 * 1024;
    private const int Block = 512;

    private readonly Stream inner;
    private readonly byte[] header = new byte[Block];
    private long position;
    private long nextHeader;

    internal TarMetadataGuard(Stream inner)
    {
        this.inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        int read = inner.Read(buffer);
        Follow(buffer[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Follow(buffer.Span[..read]);
        return read;
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private void Follow(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (position < nextHeader)
            {
                int skip = (int)Math.Min(nextHeader - position, data.Length);
                position += skip;
                data = data[skip..];
                continue;
            }

            int at = (int)(position - nextHeader);
            int take = Math.Min(Block - at, data.Length);
            data[..take].CopyTo(header.AsSpan(at));
            position += take;
            data = data[take..];
            if (at + take == Block)
            {
                nextHeader += Block + Padded(Inspect());
            }
        }
    }

    /// <summary>The data size the header declares (0 for an end block); throws for oversized metadata.</summary>
    private long Inspect()
    {
        if (header.AsSpan().IndexOfAnyExcept((byte)0) < 0)
        {
            return 0;
        }

        long size = Size(header.AsSpan(124, 12));
        char type = (char)header[156];
        if (type is 'x' or 'g' or 'X' or 'L' or 'K' && size > MaxMetadataBytes)
        {
            throw new InvalidDataException($"a tar metadata entry (type '{type}') declares {size} bytes; at most {MaxMetadataBytes} are read.");
        }

        return size;
    }

    private static long Size(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) != 0)
        {
            // Base-256: a size too large for octal; any such size is more than metadata may hold.
            return long.MaxValue / 2;
        }

        long value = 0;
        foreach (byte b in field)
        {
            if (b is >= (byte)'0' and <= (byte)'7')
            {
                value = (value * 8) + (b - '0');
                if (value > long.MaxValue / 16)
                {
                    return long.MaxValue / 2;
                }
            }
            else if (value > 0 && b is 0 or (byte)' ')
            {
                break;
            }
        }

        return value;
    }

    private static long Padded(long size) => size >= long.MaxValue / 4 ? long.MaxValue / 4 : (size + Block - 1) / Block * Block;
}
