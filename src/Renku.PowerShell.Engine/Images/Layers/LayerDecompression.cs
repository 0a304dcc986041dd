using System.IO.Compression;

using ZstdSharp;

namespace Renku.PowerShell.Images.Layers;

/// <summary>Opens a layer as a tar stream, choosing gzip, zstd or plain tar by the first bytes.</summary>
internal static class LayerDecompression
{
    internal enum Kind
    {
        Tar,
        Gzip,
        Zstd,
    }

    /// <summary>Peeks at the magic bytes and wraps the stream in the matching decompressor.</summary>
    internal static async Task<(Stream Tar, Kind Kind)> OpenAsync(Stream raw, CancellationToken ct)
    {
        byte[] head = new byte[4];
        int filled = 0;
        while (filled < head.Length)
        {
            int read = await raw.ReadAsync(head.AsMemory(filled), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        var joined = new PrefixedStream(head.AsMemory(0, filled), raw);
        if (filled >= 2 && head[0] == 0x1f && head[1] == 0x8b)
        {
            return (new GZipStream(joined, CompressionMode.Decompress, leaveOpen: true), Kind.Gzip);
        }

        if (filled >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
        {
            return (new DecompressionStream(joined, leaveOpen: true), Kind.Zstd);
        }

        return (joined, Kind.Tar);
    }

    /// <summary>Bytes already read, then the rest of the stream.</summary>
    private sealed class PrefixedStream : Stream
    {
        private readonly Stream rest;
        private ReadOnlyMemory<byte> prefix;

        internal PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest)
        {
            this.prefix = prefix;
            this.rest = rest;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (prefix.Length > 0)
            {
                int n = Math.Min(buffer.Length, prefix.Length);
                prefix.Span.Slice(0, n).CopyTo(buffer);
                prefix = prefix.Slice(n);
                return n;
            }

            return rest.Read(buffer);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (prefix.Length > 0)
            {
                int n = Math.Min(buffer.Length, prefix.Length);
                prefix.Span.Slice(0, n).CopyTo(buffer.Span);
                prefix = prefix.Slice(n);
                return ValueTask.FromResult(n);
            }

            return rest.ReadAsync(buffer, cancellationToken);
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
