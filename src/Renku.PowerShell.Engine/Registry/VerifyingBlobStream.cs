using System.Security.Cryptography;

using Renku.PowerShell.Files;

namespace Renku.PowerShell.Registry;

/// <summary>
/// A blob read (download or archive member) as a read-only stream: counts bytes against the layer budget, starts over
/// (skipping what was already read) when the connection drops, and checks size and digest when
/// the end is reached. A blob that is not read to the end is not verified; callers that stop
/// early use only what they read and say so.
/// </summary>
internal sealed class VerifyingBlobStream : ReadOnlyStream
{
    private readonly Func<CancellationToken, Task<Stream>> open;
    private readonly string digest;
    private readonly long? expectedSize;
    private readonly DownloadCounter counter;
    private readonly int maxRestarts;
    private readonly Action<string>? log;
    private readonly IncrementalHash hash;
    private Stream? inner;
    private long position;
    private int restarts;
    private bool verified;

    internal VerifyingBlobStream(Func<CancellationToken, Task<Stream>> open, string digest, long? expectedSize, DownloadCounter counter, int maxRestarts, Action<string>? log)
    {
        this.open = open;
        this.digest = digest;
        this.expectedSize = expectedSize is >= 0 ? expectedSize : null;
        this.counter = counter;
        this.maxRestarts = maxRestarts;
        this.log = log;
        hash = Digests.CreateHash(digest);
    }

    /// <summary>True once the whole blob was read and matched its digest.</summary>
    internal bool Verified => verified;

    public override long Position { get => position; set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                if (inner is null)
                {
                    await OpenAtAsync(position, cancellationToken).ConfigureAwait(false);
                }

                int read = await inner!.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    Verify();
                    return 0;
                }

                if (expectedSize is long size && position + read > size)
                {
                    throw new RegistryException(RegistryErrorKind.DigestMismatch, $"The blob {digest} is longer than the {size} bytes its descriptor announces; nothing from it was used.");
                }

                hash.AppendData(buffer.Span.Slice(0, read));
                position += read;
                counter.AddLayer(read);
                return read;
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested && restarts < maxRestarts)
            {
                restarts++;
                log?.Invoke($"The connection dropped while reading the blob {digest} at byte {position}; starting it over (restart {restarts} of {maxRestarts}).");
                CloseInner();
            }
        }
    }

    private async Task OpenAtAsync(long skip, CancellationToken ct)
    {
        inner = await open(ct).ConfigureAwait(false);

        // Registries need not honour ranges, so the blob starts over and the part already read is skipped.
        byte[] scratch = new byte[81920];
        long remaining = skip;
        while (remaining > 0)
        {
            int read = await inner.ReadAsync(scratch.AsMemory(0, (int)Math.Min(scratch.Length, remaining)), ct).ConfigureAwait(false);
            if (read == 0)
            {
                throw new RegistryException(RegistryErrorKind.DigestMismatch, $"The blob {digest} was shorter the second time it was read; nothing from it was used.");
            }

            counter.AddLayer(read);
            remaining -= read;
        }
    }

    private void Verify()
    {
        if (verified)
        {
            return;
        }

        if (expectedSize is long size && position != size)
        {
            throw new RegistryException(RegistryErrorKind.DigestMismatch, $"The blob {digest} has {position} bytes where its descriptor announces {size}; nothing from it was used.");
        }

        string actual = Digests.Format(digest, hash.GetHashAndReset());
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            throw Digests.Mismatch("blob", digest, actual);
        }

        verified = true;
    }

    private void CloseInner()
    {
        inner?.Dispose();
        inner = null;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseInner();
            hash.Dispose();
        }

        base.Dispose(disposing);
    }
}
