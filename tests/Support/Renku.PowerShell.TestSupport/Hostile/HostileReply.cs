namespace Renku.PowerShell.TestSupport.Hostile;

/// <summary>
/// How a <see cref="HostileHttpServer"/> answers one request: properly, or in one of the ways a
/// broken or hostile server holds its client (never answering, headers that never end, a body
/// that drips or stops halfway).
/// </summary>
public sealed class HostileReply
{
    private HostileReply(HostileBehaviour behaviour)
    {
        Behaviour = behaviour;
    }

    public HostileBehaviour Behaviour { get; }

    public int Status { get; private init; } = 200;

    public IReadOnlyDictionary<string, string> Headers { get; private init; } = new Dictionary<string, string>();

    public byte[] Body { get; private init; } = Array.Empty<byte>();

    /// <summary>The pause between two bytes (drips) or header lines (endless headers).</summary>
    public TimeSpan Interval { get; private init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long the server waits before it starts to answer (a slow but working server).</summary>
    public TimeSpan Delay { get; private init; }

    /// <summary>For <see cref="HostileBehaviour.StallMidBody"/>: how many body bytes go out before it stops.</summary>
    public int BytesBeforeStall { get; private init; }

    /// <summary>A whole, proper answer.</summary>
    public static HostileReply Answer(int status, byte[] body, IReadOnlyDictionary<string, string>? headers = null) =>
        new(HostileBehaviour.Answer) { Status = status, Body = body, Headers = headers ?? new Dictionary<string, string>() };

    /// <summary>The same reply, started only after <paramref name="delay"/>.</summary>
    public HostileReply After(TimeSpan delay) => new(Behaviour)
    {
        Status = Status,
        Headers = Headers,
        Body = Body,
        Interval = Interval,
        BytesBeforeStall = BytesBeforeStall,
        Delay = delay,
    };

    /// <summary>Reads the request and never sends a byte.</summary>
    public static HostileReply NeverAnswer() => new(HostileBehaviour.NeverAnswer);

    /// <summary>Sends a status line, then one more header line every <paramref name="interval"/>, forever.</summary>
    public static HostileReply EndlessHeaders(TimeSpan interval) => new(HostileBehaviour.EndlessHeaders) { Interval = interval };

    /// <summary>Sends the headers (with the full Content-Length), then the body one byte every <paramref name="interval"/>.</summary>
    public static HostileReply Drip(byte[] body, TimeSpan interval, IReadOnlyDictionary<string, string>? headers = null) =>
        new(HostileBehaviour.Drip) { Body = body, Interval = interval, Headers = headers ?? new Dictionary<string, string>() };

    /// <summary>Sends the headers and the first <paramref name="bytes"/> of the body, then nothing, keeping the connection open.</summary>
    public static HostileReply StallMidBody(byte[] body, int bytes, IReadOnlyDictionary<string, string>? headers = null) =>
        new(HostileBehaviour.StallMidBody) { Body = body, BytesBeforeStall = bytes, Headers = headers ?? new Dictionary<string, string>() };
}
