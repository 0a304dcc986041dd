using Renku.PowerShell.Files;

namespace Renku.PowerShell.Http;

/// <summary>
/// A response body that ends with an error when it stalls or drips: a read that gets no byte for
/// <see cref="HttpTimeouts.LowSpeedTime"/>, or a window of that much waiting that brings fewer than
/// <see cref="HttpTimeouts.LowSpeedLimit"/> bytes a second, throws what <c>stalled</c> makes.
/// Only the time spent waiting for the server counts: a reader that pauses between reads (to
/// decompress, or while another check reads a shared layer) does not make the server look slow.
/// Cancellation by the caller stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class LowSpeedGuardStream : ReadOnlyStream
{
    private readonly Stream inner;
    private readonly HttpTimeouts timeouts;
    private readonly Func<string, Exception> stalled;
    private readonly TimeProvider clock;
    private TimeSpan windowWaited;
    private long windowBytes;

    /// <param name="stalled">Makes the exception for a body that is too slow, from a sentence that says how.</param>
    /// <param name="clock">The clock both rules read (the system's unless a test gives its own).</param>
    internal LowSpeedGuardStream(Stream inner, HttpTimeouts timeouts, Func<string, Exception> stalled, TimeProvider? clock = null)
    {
        this.inner = inner;
        this.timeouts = timeouts;
        this.stalled = stalled;
        this.clock = clock ?? TimeProvider.System;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int read;
        long started = clock.GetTimestamp();
        using (var idle = new CancellationTokenSource(timeouts.LowSpeedTime, clock))
        using (cancellationToken.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), idle))
        {
            try
            {
                read = await inner.ReadAsync(buffer, idle.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (idle.IsCancellationRequested && !cancellationToken.IsCancellationRequested && ex is OperationCanceledException or IOException)
            {
                throw stalled($"no data arrived for {HttpTimeouts.Describe(timeouts.LowSpeedTime)}");
            }
        }

        if (read == 0)
        {
            return 0;
        }

        windowBytes += read;
        windowWaited += clock.GetElapsedTime(started);
        if (windowWaited >= timeouts.LowSpeedTime)
        {
            double rate = windowBytes / windowWaited.TotalSeconds;
            if (rate < timeouts.LowSpeedLimit)
            {
                throw stalled($"it arrived at {rate:0.#} bytes/s over {HttpTimeouts.Describe(windowWaited)} of waiting, below the {timeouts.LowSpeedLimit} bytes/s the module waits for");
            }

            windowWaited = TimeSpan.Zero;
            windowBytes = 0;
        }

        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }
}
