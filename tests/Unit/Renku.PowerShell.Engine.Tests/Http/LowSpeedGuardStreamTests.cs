using System.Diagnostics;

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
        await using var guarded = new LowSpeedGuardStream(new MemoryStream(new byte[64]), OneSecond, how => new HttpTimeoutException(how));
        byte[] one = new byte[1];
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(1, await guarded.ReadAsync(one));
            await Task.Delay(600);
        }

        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task AServerThatDripsFailsOnceAWindowOfWaitingIsFull()
    {
        await using var guarded = new LowSpeedGuardStream(new DrippingStream(TimeSpan.FromMilliseconds(100)), OneSecond, how => new HttpTimeoutException(how));
        byte[] buffer = new byte[16];
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HttpTimeoutException>(async () =>
        {
            for (int i = 0; i < 1000; i++)
            {
                _ = await guarded.ReadAsync(buffer);
            }
        });
        Assert.Contains("bytes/s", error.Message, StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1) + HostileBounds.Slack);
    }

    [Fact]
    public async Task TheCallersCancellationStaysCancellation()
    {
        await using var guarded = new LowSpeedGuardStream(new DrippingStream(TimeSpan.FromMinutes(1)), OneSecond, how => new HttpTimeoutException(how));
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guarded.ReadAsync(new byte[1], stop.Token).AsTask());
    }

    /// <summary>One byte per read, each after <c>interval</c>.</summary>
    private sealed class DrippingStream : MemoryStream
    {
        private readonly TimeSpan interval;

        public DrippingStream(TimeSpan interval)
        {
            this.interval = interval;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            await Task.Delay(interval, cancellationToken);
            buffer.Span[0] = (byte)'x';
            return 1;
        }
    }
}
