using Renku.PowerShell.Concurrency;
using Renku.PowerShell.RenkuApi;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Concurrency;

public sealed class StartedOnceTests
{
    [Fact]
    public async Task ARequestIsStartedOnceWhenItsFirstStepsTakeLongAndCallersRace()
    {
        // The first call of a request path can spend milliseconds before its first await (JIT,
        // token checks); callers arriving meanwhile must wait for that request, not start their own.
        var shared = new StartedOnce<(PlatformImageCheck? Check, string? Problem)>();
        int started = 0;
        // The callers block (a barrier, then a slow first step), so each gets a thread of its own:
        // on the shared pool they would starve the other tests of this process.
        using var together = new Barrier(4);
        Task<Task<(PlatformImageCheck? Check, string? Problem)>>[] asks = Enumerable.Range(0, 4)
            .Select(_ => Task.Factory.StartNew(
                () =>
                {
                    Assert.True(together.SignalAndWait(TimeSpan.FromSeconds(30)), "the four callers never met");
                    return shared.GetOrStart("registry.test/team/same:1", () =>
                    {
                        Interlocked.Increment(ref started);
                        Thread.Sleep(200);
                        return Task.FromResult<(PlatformImageCheck?, string?)>((null, "asked"));
                    });
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();

        var answers = await Task.WhenAll(await Task.WhenAll(asks).WaitAsync(TimeSpan.FromSeconds(60))).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, started);
        Assert.All(answers, a => Assert.Equal("asked", a.Problem));
    }

    [Fact]
    public async Task DifferentKeysStartTheirOwnWorkAndEveryTaskIsListed()
    {
        var started = new StartedOnce<string>();
        Task<string> a = started.GetOrStart("a", () => Task.FromResult("first"));
        Task<string> again = started.GetOrStart("a", () => Task.FromResult("second"));
        Task<string> b = started.GetOrStart("b", () => Task.FromResult("other"));

        Assert.Same(a, again);
        Assert.Equal("first", await again);
        Assert.Equal("other", await b);
        Assert.Equal(2, started.All.Count);
        Assert.True(started.TryGetValue("b", out Task<string>? found));
        Assert.Same(b, found);
        Assert.False(started.TryGetValue("c", out _));
    }
}
