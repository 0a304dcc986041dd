namespace Renku.PowerShell.Sessions.Docker;

/// <summary>What kept a session check from reaching its own session and nothing else.</summary>
public enum SessionNetworkProblem
{
    /// <summary>On the host network, something else listens on the session port (before the start, or instead of the session).</summary>
    PortInUse,

    /// <summary>On the host network, the listener on the session port could not be shown to belong to the session.</summary>
    ListenerUnverified,

    /// <summary>The engine offers no network the check may use.</summary>
    NoNetwork,
}

/// <summary>
/// A session check could not make sure that its probe reaches the session it started and nothing
/// else. A problem of the engine's networking or of the machine, never a verdict on the image.
/// </summary>
public sealed class SessionNetworkException : Exception
{
    public SessionNetworkException(SessionNetworkProblem problem, int port, string message)
        : base(message)
    {
        Problem = problem;
        Port = port;
    }

    public SessionNetworkProblem Problem { get; }

    /// <summary>The session port concerned.</summary>
    public int Port { get; }
}
