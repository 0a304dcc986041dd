namespace Renku.PowerShell.Engine.Tests.Http;

/// <summary>
/// A clock that moves only when a test moves it: timestamps in ticks, and timers that fire when
/// <see cref="Advance"/> passes their due time. For rules that read the time, so a test does not
/// depend on how busy the machine is.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private readonly object gate = new();
    private readonly List<ManualTimer> timers = new();
    private long now;

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp()
    {
        lock (gate)
        {
            return now;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves the clock on and fires, in order, every timer that falls due meanwhile.</summary>
    public void Advance(TimeSpan by)
    {
        long until;
        lock (gate)
        {
            until = now + by.Ticks;
        }

        while (true)
        {
            ManualTimer? next;
            lock (gate)
            {
                next = timers.Where(t => t.Due is { } due && due <= until).MinBy(t => t.Due);
                if (next is null)
                {
                    now = until;
                    return;
                }

                now = Math.Max(now, next.Due!.Value);
                next.Due = next.Period is { } period ? now + period : null;
            }

            next.Fire();
        }
    }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public long? Due { get; set; }

        public long? Period { get; private set; }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
                Due = dueTime == Timeout.InfiniteTimeSpan ? null : clock.now + dueTime.Ticks;
                Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period.Ticks;
                clock.timers.Add(this);
            }

            return true;
        }

        public void Dispose()
        {
            lock (clock.gate)
            {
                clock.timers.Remove(this);
            }
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
