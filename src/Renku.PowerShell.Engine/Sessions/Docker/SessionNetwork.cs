using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Renku.PowerShell.Sessions.Docker;

/// <summary>The networks a Docker session check can put its container on, in the order they are tried.</summary>
internal enum SessionNetworkKind
{
    /// <summary>A bridge network made for this check alone (removed with it): nothing else is on it.</summary>
    Own,

    /// <summary>The engine's default <c>bridge</c> network; the probe goes to the container's own address or its published port.</summary>
    DefaultBridge,

    /// <summary>The host's network: the session port must be free, and the listener must be the container's.</summary>
    Host,
}

/// <summary>How the probe reaches the session.</summary>
internal enum ProbeRoute
{
    /// <summary>The container's address on its network, reached directly from this machine.</summary>
    ContainerAddress,

    /// <summary>A host port the engine published for the container (an ephemeral one, never chosen by the check).</summary>
    PublishedPort,

    /// <summary>The session port on the host's network.</summary>
    HostNetwork,
}

/// <summary>
/// The rules that keep a session check's probe on its own session: which route reaches the
/// container, when a connection counts, whether a port on the host is free, and whether the
/// listener on a host port belongs to the container.
/// </summary>
internal static class SessionNetwork
{
    /// <summary>How long a connection through a published port must stay open to count (a port forwarder closes at once when nothing listens behind it).</summary>
    internal static readonly TimeSpan HeldOpen = TimeSpan.FromMilliseconds(250);

    private static readonly ConcurrentDictionary<string, SemaphoreSlim> HostPorts = new(StringComparer.Ordinal);

    /// <summary>The route's word in reports.</summary>
    internal static string Describe(ProbeRoute route) => route switch
    {
        ProbeRoute.ContainerAddress => "container address",
        ProbeRoute.PublishedPort => "published port",
        _ => "host network",
    };

    /// <summary>
    /// Holds the host port <paramref name="port"/> of <paramref name="engine"/> for one check in
    /// this process: checks on the host network that want the same port run one after another.
    /// </summary>
    internal static async Task<IDisposable> LeaseHostPortAsync(string engine, int port, CancellationToken cancellationToken)
    {
        SemaphoreSlim gate = HostPorts.GetOrAdd(engine + "|" + port.ToString(CultureInfo.InvariantCulture), _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Lease(gate);
    }

    /// <summary>
    /// True when something listens on <paramref name="port"/> of <paramref name="host"/>: it
    /// answers a connection, or (for this machine) the port cannot be bound on every address.
    /// </summary>
    internal static async Task<bool> PortTakenAsync(string host, int port, CancellationToken cancellationToken)
    {
        if (await ConnectAsync(host, port, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false) == ConnectResult.Connected)
        {
            return true;
        }

        if (!IPAddress.TryParse(host, out IPAddress? address) || !IPAddress.IsLoopback(address))
        {
            return false;
        }

        foreach (IPAddress any in new[] { IPAddress.Any, IPAddress.IPv6Any })
        {
            if (any.AddressFamily == AddressFamily.InterNetworkV6 && !Socket.OSSupportsIPv6)
            {
                continue;
            }

            try
            {
                using var socket = new Socket(any.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (any.AddressFamily == AddressFamily.InterNetworkV6)
                {
                    socket.DualMode = false;
                }

                socket.Bind(new IPEndPoint(any, port));
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
            {
                return true;
            }
            catch (SocketException)
            {
                // An address family the machine does not have: nothing can listen on it either.
            }
        }

        return false;
    }

    internal enum ConnectResult
    {
        Connected,

        /// <summary>The address answered that nothing listens on the port: it is reachable.</summary>
        Refused,

        /// <summary>No answer in time, or no route to the address.</summary>
        Unreachable,
    }

    /// <summary>One TCP connection attempt, closed again at once.</summary>
    internal static async Task<ConnectResult> ConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new TcpClient(IPAddress.TryParse(host, out IPAddress? address) ? address.AddressFamily : AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
            return ConnectResult.Connected;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ConnectResult.Unreachable;
        }
        catch (SocketException ex)
        {
            return ex.SocketErrorCode == SocketError.ConnectionRefused ? ConnectResult.Refused : ConnectResult.Unreachable;
        }
    }

    /// <summary>
    /// A probe attempt. Through a published port the connection counts only when it is still open
    /// after <see cref="HeldOpen"/>: the engine's port forwarder accepts every connection and
    /// closes it at once when nothing in the container listens.
    /// </summary>
    internal static async Task<bool> ProbeAsync(string host, int port, TimeSpan timeout, bool mustStayOpen, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new TcpClient(IPAddress.TryParse(host, out IPAddress? address) ? address.AddressFamily : AddressFamily.InterNetwork);
        try
        {
            await client.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
            if (!mustStayOpen)
            {
                return true;
            }

            using var hold = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            hold.CancelAfter(HeldOpen);
            byte[] buffer = new byte[1];
            try
            {
                int read = await client.GetStream().ReadAsync(buffer, hold.Token).ConfigureAwait(false);
                return read > 0;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>Whose listener answers on a host port.</summary>
    internal enum Ownership
    {
        /// <summary>A socket listening on the port is held by a process of the container.</summary>
        Container,

        /// <summary>Sockets listen on the port, and none is the container's.</summary>
        Foreign,

        /// <summary>It could not be told (no listener seen, or the container's processes could not be read).</summary>
        Unknown,
    }

    /// <summary>The separator between the socket tables and the descriptor listing in <see cref="OwnershipScript"/>'s output.</summary>
    internal const string DescriptorMarker = "--renku-check-fds--";

    /// <summary>
    /// Run in the container as the session user: the network namespace's TCP tables (the host's,
    /// on the host network), then the open descriptors of the container's processes (its own PID
    /// namespace: no process outside the container is listed).
    /// </summary>
    internal const string OwnershipScript = "cat /proc/net/tcp /proc/net/tcp6 2>/dev/null; echo " + DescriptorMarker + "; ls -l /proc/[0-9]*/fd/ 2>/dev/null; exit 0";

    /// <summary>
    /// Reads <see cref="OwnershipScript"/>'s output: the inodes of sockets listening on
    /// <paramref name="port"/> against the sockets the container's processes hold.
    /// </summary>
    internal static Ownership ListenerOwner(string output, int port)
    {
        int marker = output.IndexOf(DescriptorMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return Ownership.Unknown;
        }

        var listening = new HashSet<string>(StringComparer.Ordinal);
        foreach (string line in output[..marker].Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            string[] fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != "0A")
            {
                continue;
            }

            int colon = fields[1].LastIndexOf(':');
            if (colon < 0 || !int.TryParse(fields[1][(colon + 1)..], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int local) || local != port || fields[9] == "0")
            {
                continue;
            }

            listening.Add(fields[9]);
        }

        if (listening.Count == 0)
        {
            return Ownership.Unknown;
        }

        var held = new HashSet<string>(StringComparer.Ordinal);
        string descriptors = output[(marker + DescriptorMarker.Length)..];
        int at = 0;
        while ((at = descriptors.IndexOf("socket:[", at, StringComparison.Ordinal)) >= 0)
        {
            int start = at + "socket:[".Length;
            int end = descriptors.IndexOf(']', start);
            if (end < 0)
            {
                break;
            }

            held.Add(descriptors[start..end]);
            at = end;
        }

        if (held.Count == 0 && !descriptors.Contains(" -> ", StringComparison.Ordinal))
        {
            // No descriptor of the session's processes could be read (another user, no ls).
            return Ownership.Unknown;
        }

        return listening.Overlaps(held) ? Ownership.Container : Ownership.Foreign;
    }

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
