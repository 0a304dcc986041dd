namespace Renku.PowerShell;

/// <summary>
/// The readiness probe Renku puts on a session container: TCP on the session port, first after
/// <see cref="InitialDelay"/>, then every <see cref="Period"/>, each attempt given
/// <see cref="Timeout"/>; <see cref="SuccessThreshold"/> successes in a row make it ready and
/// <see cref="FailureThreshold"/> failures in a row make it not ready again.
/// </summary>
public sealed record ReadinessProbeSettings(TimeSpan InitialDelay, TimeSpan Period, TimeSpan Timeout, int SuccessThreshold, int FailureThreshold)
{
    /// <summary>How long Renku's probe needs at best: the initial delay plus the periods to collect the successes.</summary>
    public TimeSpan FastestReady => InitialDelay + (Period * (SuccessThreshold - 1));

    /// <summary>What Renku (amalthea) sets: 10 s, 5 s, 1 s, 5 successes, 3 failures.</summary>
    public static ReadinessProbeSettings Renku { get; } = new(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1), 5, 3);

    /// <summary>
    /// Renku's timings scaled so that the probe keeps its shape but fits a shorter wait (for CI):
    /// every duration is multiplied by <paramref name="factor"/> (0 &lt; factor &lt;= 1), the
    /// thresholds stay, and nothing goes below 50 ms.
    /// </summary>
    public ReadinessProbeSettings Scale(double factor)
    {
        if (factor is <= 0 or > 1 || double.IsNaN(factor))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The scale factor must be above 0 and at most 1.");
        }

        static TimeSpan Scaled(TimeSpan value, double f) => TimeSpan.FromMilliseconds(Math.Max(50, value.TotalMilliseconds * f));
        return this with { InitialDelay = Scaled(InitialDelay, factor), Period = Scaled(Period, factor), Timeout = Scaled(Timeout, factor) };
    }

    public override string ToString() => $"tcp initialDelay={InitialDelay.TotalSeconds:0.###}s period={Period.TotalSeconds:0.###}s timeout={Timeout.TotalSeconds:0.###}s success={SuccessThreshold} failure={FailureThreshold}";
}
