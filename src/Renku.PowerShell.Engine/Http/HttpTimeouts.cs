namespace Renku.PowerShell.Http;

/// <summary>
/// How long the module waits on a server. Each request must connect, then send its response
/// headers, within its bounds; its body must move at least <see cref="LowSpeedLimit"/> bytes a
/// second averaged over every <see cref="LowSpeedTime"/> (curl's and git's low-speed rule, which
/// also catches a body that stops); and one operation (one image read, one repository's tags, one
/// Renku API call with its token renewal) ends after <see cref="Operation"/>, retries included.
/// </summary>
public sealed class HttpTimeouts
{
    /// <summary>The defaults: 15 s to connect, 30 s for headers, 1 KiB/s over 30 s for bodies, 5 minutes per operation.</summary>
    public static HttpTimeouts Default { get; } = new();

    public TimeSpan Connect { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan ResponseHeaders { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The window over which a body's transfer rate is measured; no byte at all for this long also ends it.</summary>
    public TimeSpan LowSpeedTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The slowest average rate (bytes per second) a body may keep up for a whole <see cref="LowSpeedTime"/>.</summary>
    public long LowSpeedLimit { get; init; } = 1024;

    public TimeSpan Operation { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// These timeouts with <paramref name="operation"/> as the operation bound; a request's own
    /// bounds never exceed it, so a short operation bound also shortens each request.
    /// </summary>
    public HttpTimeouts WithOperation(TimeSpan operation)
    {
        if (operation <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(operation), operation, "A timeout must be longer than zero.");
        }

        return new HttpTimeouts
        {
            Connect = Min(Connect, operation),
            ResponseHeaders = Min(ResponseHeaders, operation),
            LowSpeedTime = Min(LowSpeedTime, operation),
            LowSpeedLimit = LowSpeedLimit,
            Operation = operation,
        };
    }

    /// <summary>How the bounds read in a message (<c>30 s</c>, <c>5 min</c>).</summary>
    public static string Describe(TimeSpan span) =>
        span.TotalSeconds < 1 ? $"{span.TotalMilliseconds:0} ms"
        : span.TotalSeconds < 120 ? $"{span.TotalSeconds:0.#} s"
        : $"{span.TotalMinutes:0.#} min";

    public override string ToString() =>
        $"connect {Describe(Connect)}, headers {Describe(ResponseHeaders)}, at least {LowSpeedLimit} B/s over {Describe(LowSpeedTime)}, operation {Describe(Operation)}";

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
