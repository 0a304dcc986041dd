using System.Collections.Concurrent;
using System.Diagnostics;

using Renku.PowerShell.Compliance;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Images;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Sessions.Docker;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>
/// Results stream: checks start in input order, so the first report comes out when the first check
/// is done, whatever the throttle; and an engine the tool cannot reach is an exception for that
/// input, never a verdict on the image.
/// </summary>
public sealed class ComplianceRunnerOrderTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task ChecksStartInInputOrder(int throttle)
    {
        // Many rounds: the order the thread pool happens to run queued work in varies from run to run.
        for (int round = 0; round < 25; round++)
        {
            var runtime = new RecordingRuntime(_ => TimeSpan.FromMilliseconds(5));
            List<ComplianceJob> jobs = Jobs(8, runtime);
            using var inspector = new ImageInspector();
            await new ComplianceRunner(inspector).CheckAllAsync(jobs, throttle, (_, report, failure) => Assert.Null(failure), null, CancellationToken.None);

            AssertStartedInInputOrder(runtime.Started, 8, throttle);
        }
    }

    /// <summary>
    /// Check k takes a slot only after check k-1 took one, so when it starts at most throttle-1 of
    /// the checks before it still hold a slot: at least k-(throttle-1) of them have already started
    /// their sessions. At throttle 1 that is the input order exactly; above it, checks that hold
    /// slots at once may reach their session start in either order (their static parts run side
    /// by side), but a later check never overtakes more than the window.
    /// </summary>
    private static void AssertStartedInInputOrder(IReadOnlyList<string> started, int count, int throttle)
    {
        Assert.Equal(Enumerable.Range(0, count).Select(Image).Order(StringComparer.Ordinal), started.Order(StringComparer.Ordinal));
        for (int k = 0; k < count; k++)
        {
            int position = started.ToList().IndexOf(Image(k));
            int earlierAlreadyStarted = started.Take(position).Count(image => IndexOf(image) < k);
            Assert.True(
                earlierAlreadyStarted >= k - (throttle - 1),
                $"{Image(k)} started after only {earlierAlreadyStarted} of the {k} checks before it (throttle {throttle}): {string.Join(", ", started)}");
        }
    }

    private static int IndexOf(string image) => int.Parse(image[(image.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task TheFirstReportComesOutWhenTheFirstCheckIsDoneAtThrottleOne()
    {
        // The first check is quick and the second would take minutes: the first report must not
        // wait for the second, and the third cannot start while the second holds the only slot.
        var runtime = new RecordingRuntime(image => image == Image(0) ? TimeSpan.FromMilliseconds(50) : TimeSpan.FromMinutes(5));
        List<ComplianceJob> jobs = Jobs(3, runtime);
        using var inspector = new ImageInspector();
        using var stop = new CancellationTokenSource();
        string[]? startedAtFirstReport = null;
        var clock = Stopwatch.StartNew();

        // As Select-Object -First 1 does: the first report stops the run.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new ComplianceRunner(inspector).CheckAllAsync(
            jobs,
            1,
            (index, report, failure) =>
            {
                Assert.Equal(0, index);
                Assert.NotNull(report);
                startedAtFirstReport = runtime.Started.ToArray();
                stop.Cancel();
                stop.Token.ThrowIfCancellationRequested();
            },
            null,
            stop.Token));

        Assert.NotNull(startedAtFirstReport);
        Assert.Equal(Image(0), startedAtFirstReport![0]);
        Assert.DoesNotContain(Image(2), startedAtFirstReport);
        Assert.DoesNotContain(Image(2), runtime.Started);
        Assert.True(clock.Elapsed < TimeSpan.FromMinutes(1), "the stop did not wait for the long second check");
    }

    [Fact]
    public async Task AnUnreachableEngineIsAnExceptionNotAFailedSession()
    {
        string socket = Path.Combine(Path.GetTempPath(), "renku-ps-no-engine-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        var runner = new DockerSessionRunner("unix://" + socket);
        var request = new SessionCheckRequest { Image = "example.org/team/lab:1.0", Settings = SessionSettings.RenkuDefaults };

        DockerEngineException thrown = await Assert.ThrowsAsync<DockerEngineException>(() => runner.RunAsync(request, null, CancellationToken.None));
        Assert.True(thrown.Unreachable);

        // Through the runner too: the job fails with the engine's exception, and no report judges the image.
        using var inspector = new ImageInspector();
        var job = new ComplianceJob { Image = "example.org/team/lab:1.0", Source = ComplianceImageSource.None, Runtime = runner };
        Exception? failed = null;
        ComplianceReport? reported = null;
        await new ComplianceRunner(inspector).CheckAllAsync(new[] { job }, 1, (_, report, failure) => (reported, failed) = (report, failure), null, CancellationToken.None);
        Assert.Null(reported);
        Assert.True(Assert.IsType<DockerEngineException>(failed).Unreachable);
    }

    private static string Image(int index) => $"example.org/team/lab:{index}";

    private static List<ComplianceJob> Jobs(int count, ISessionRuntime runtime) =>
        Enumerable.Range(0, count).Select(i => new ComplianceJob { Image = Image(i), Source = ComplianceImageSource.None, Runtime = runtime }).ToList();

    /// <summary>A session runtime that records which image each check started, in the order they started.</summary>
    private sealed class RecordingRuntime : ISessionRuntime
    {
        private readonly Func<string, TimeSpan> duration;
        private readonly ConcurrentQueue<string> started = new();

        internal RecordingRuntime(Func<string, TimeSpan> duration)
        {
            this.duration = duration;
        }

        public string Name => "Recording";

        internal IReadOnlyList<string> Started => started.ToArray();

        public async Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
        {
            started.Enqueue(request.Image);
            await Task.Delay(duration(request.Image), cancellationToken);
            return new SessionCheck { Runtime = Name, Image = request.Image, Outcome = SessionOutcome.Ready, Ready = true, StayedUp = true };
        }
    }
}
