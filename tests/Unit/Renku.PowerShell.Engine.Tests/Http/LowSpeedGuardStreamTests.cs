using Renku.PowerShell.Http;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Http;

/// <summary>The low-speed rule on its own: what counts is the time spent waiting for the server, not the reader's pauses.</summary>
public sealed class LowSpeedGuardStreamTests
{
    private static readonly HttpTimeouts OneSecond = new() { LowSpeedTime = TimeSpan.FromSeconds(1), LowSpeedLimit = 1024 };

    [Fact]
    public async Task AReaderThatPausesBetweenReadsIsNotMistakenForASlowServer()
    {
        // Each byte is there at once; the reader spends 600 ms between reads, 1.8 s in all.
        var clock = new ManualClock();
        await using var guarded = new LowSpeedGuardStream(new MemoryStream(new byte[64]), OneSecond, how => new HttpTimeoutException(how), clock);
        byte[] one = new byte[1];
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, await guarded.ReadAsync(one));
            clock.Advance(TimeSpan.FromMilliseconds(600));
        }

        Assert.Equal(1, await guarded.ReadAsync(one));
    }

    [Fact]
    public async Task AServerThatDripsFailsOnceAWindowOfWaitingIsFull()
    {
        // One byte every 100 ms of waiting: 10 bytes/s, below the 1024 asked for, and never a
        // second without data, so it is the rate rule that ends it, after ten reads.
        var clock = new ManualClock();
        var dripping = new DrippingStream(TimeSpan.FromMilliseconds(100), clock);
        await using var guarded = new LowSpeedGuardStream(dripping, OneSecond, how => new HttpTimeoutException(how), clock);
        byte[] buffer = new byte[16];
        var error = await Assert.ThrowsAsync<HttpTimeoutException>(async () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                _ = await guarded.ReadAsync(buffer);
            }
        });
        Assert.Contains("10 bytes/s over 1 s of waiting", error.Message, StringComparison.Ordinal);
        Assert.Equal(10, dripping.Reads);
    }

    [Fact]
    public async Task AServerThatSendsNothingFailsWhenTheTimeIsUp()
    {
        var clock = new ManualClock();
        var silent = new SilentStream();
        await using var guarded = new LowSpeedGuardStream(silent, OneSecond, how => new HttpTimeoutException(how), clock);
        Task<int> read = guarded.ReadAsync(new byte[1]).AsTask();
        await silent.Waiting.WaitAsync(TimeSpan.FromSeconds(30));
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(read.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        var error = await Assert.ThrowsAsync<HttpTimeoutException>(() => read).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("no data arrived for 1 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCallersCancellationStaysCancellation()
    {
        await using var guarded = new LowSpeedGuardStream(new DrippingStream(TimeSpan.FromMinutes(1)), OneSecond, how => new HttpTimeoutException(how));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guarded.ReadAsync(new byte[1], stop.Token).AsTask());
    }

    /// <summary>One byte per read, each after <c>interval</c> (of the given clock, or of real time).</summary>
    private sealed class DrippingStream : MemoryStream
    {
        private readonly TimeSpan interval;
        private readonly ManualClock? clock;

        public DrippingStream(TimeSpan interval, ManualClock? clock = null)
        {
            this.interval = interval;
            this.clock = clock;
        }

        public int Reads { get; private set; }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (clock is null)
            {
                await Task.Delay(interval, cancellationToken);
            }
            else
            {
                clock.Advance(interval);
            }

            Reads++;
            buffer.Span[0] = (byte)'x';
            return 1;
        }
    }

    /// <summary>Never sends a byte; a read ends only when it is cancelled.</summary>
    private sealed class SilentStream : MemoryStream
    {
        private readonly TaskCompletionSource waiting = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Waiting => waiting.Task;

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            waiting.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }
    }
}
