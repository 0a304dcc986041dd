using System.Net;
using System.Net.Sockets;
using System.Text;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Sessions.Docker;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>
/// A session check talks only to the session it started, on every network the engine offers: a
/// process already listening on the session port (a squatter) never answers for it, two checks
/// never answer each other, and what a check makes (network included) is gone afterwards.
/// </summary>
public class SessionNetworkTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    /// <summary>An image whose process serves nothing: it must never pass.</summary>
    private static string Sleeps => SessionTestImages.Sleeps;

    public static TheoryData<string> Modes => new() { "own network", "own network, published port", "host network" };

    private static DockerSessionRunner Runner(string host, string mode) => mode switch
    {
        "own network" => new DockerSessionRunner(host) { Networks = new[] { SessionNetworkKind.Own } },
        "own network, published port" => new DockerSessionRunner(host) { Networks = new[] { SessionNetworkKind.Own }, PreferPublishedPort = true },
        _ => new DockerSessionRunner(host) { Networks = new[] { SessionNetworkKind.Host } },
    };

    private static SessionCheckRequest Request(string image, int port, CleanupLedger? ledger = null) => new()
    {
        Image = image,
        Settings = new SessionSettings { Name = "test", Port = port, WorkingDirectory = "/home/renku/work", MountDirectory = "/home/renku/work" },
        Probe = SessionCheckRequest.ProbeFor(Deadline),
        ReadinessDeadline = Deadline,
        Ledger = ledger ?? new CleanupLedger(),
    };

    [SkippableTheory]
    [MemberData(nameof(Modes))]
    public async Task AnImageThatServesNothingNeverPassesWithASquatterOnItsPort(string mode)
    {
        string host = DockerDaemon.Require();
        string image = Sleeps;
        int port = FreePort.Next();
        using var squatter = Squatter.Start(port);
        var ledger = new CleanupLedger();
        if (mode == "host network")
        {
            // On the host's network a taken port is refused before anything starts.
            SessionNetworkException refused = await Assert.ThrowsAsync<SessionNetworkException>(() => Runner(host, mode).RunAsync(Request(image, port, ledger), null, default));
            Assert.Equal(SessionNetworkProblem.PortInUse, refused.Problem);
            Assert.Equal(port, refused.Port);
            Assert.Empty(ledger.Outstanding);
            Assert.Empty(Leftovers(host));
            return;
        }

        SessionCheck check = await Runner(host, mode).RunAsync(Request(image, port, ledger), null, default);
        Assert.True(check.Started, check.StartError);
        Assert.False(check.Ready, $"{mode}: ready through {check.ProbeAddress} ({check.ProbeRoute})");
        Assert.Null(check.FirstConnect);
        Assert.Null(check.HttpStatus);
        Assert.Equal(mode.EndsWith("published port", StringComparison.Ordinal) ? "published port" : "container address", check.ProbeRoute);
        Assert.NotEqual("127.0.0.1:" + port, check.ProbeAddress);
        Assert.Equal(0, squatter.Connections);
        Assert.True(check.CleanedUp, check.CleanupError);
        Assert.Empty(ledger.Outstanding);
    }

    [SkippableTheory]
    [MemberData(nameof(Modes))]
    public async Task ACompliantImageIsAnsweredByItselfNotByTheSquatter(string mode)
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.Compliant;
        int port = FreePort.NextPair();
        if (mode == "host network")
        {
            // No squatter can share the host's port: the check is alone on it, and proves it.
            SessionCheck alone = await Runner(host, mode).RunAsync(Request(image, port), null, default);
            Assert.True(alone.Ready, string.Join(" | ", alone.LogTail));
            Assert.Equal("host network", alone.ProbeRoute);
            Assert.Equal("host", alone.Network);
            Assert.Equal(200, alone.HttpStatus);
            Assert.True(alone.CleanedUp, alone.CleanupError);
            return;
        }

        using var squatter = Squatter.Start(port);
        SessionCheck check = await Runner(host, mode).RunAsync(Request(image, port), null, default);
        Assert.True(check.Ready, string.Join(" | ", check.LogTail));
        Assert.Equal(200, check.HttpStatus);
        Assert.StartsWith("renku-check-", check.Network, StringComparison.Ordinal);
        Assert.Equal(0, squatter.Connections);
        Assert.True(check.CleanedUp, check.CleanupError);
    }

    /// <summary>A squatter that takes the port after the start (so the pre-check saw it free) answers the probe, and the check finds out.</summary>
    [SkippableFact]
    public async Task OnTheHostNetworkAListenerThatIsNotTheSessionsIsRefused()
    {
        string host = DockerDaemon.Require();
        string image = Sleeps;
        int port = FreePort.Next();
        var ledger = new CleanupLedger();
        using var late = new LateSquatter(port);
        SessionNetworkException refused = await Assert.ThrowsAsync<SessionNetworkException>(() => Runner(host, "host network").RunAsync(Request(image, port, ledger), late, default));
        Assert.Equal(SessionNetworkProblem.PortInUse, refused.Problem);
        Assert.True(late.Started);
        Assert.Contains("not the session", refused.Message, StringComparison.Ordinal);
        Assert.Empty(ledger.Outstanding);
        Assert.Empty(Leftovers(host));
    }

    /// <summary>Checks that run at once on the same session port never answer each other.</summary>
    [SkippableTheory]
    [MemberData(nameof(Modes))]
    public async Task ConcurrentChecksOnOnePortAnswerOnlyThemselves(string mode)
    {
        string host = DockerDaemon.Require();
        string compliant = SessionTestImages.Compliant;
        string sleeps = Sleeps;
        int port = FreePort.NextPair();
        DockerSessionRunner runner = Runner(host, mode);
        Task<SessionCheck>[] checks =
        {
            runner.RunAsync(Request(compliant, port), null, default),
            runner.RunAsync(Request(sleeps, port), null, default),
            runner.RunAsync(Request(compliant, port), null, default),
            runner.RunAsync(Request(sleeps, port), null, default),
        };
        SessionCheck[] results = await Task.WhenAll(checks);
        Assert.All(new[] { results[0], results[2] }, c => Assert.True(c.Ready, $"{c.Image}: {string.Join(" | ", c.LogTail)}"));
        Assert.All(new[] { results[1], results[3] }, c => Assert.False(c.Ready, $"{c.Image} answered through {c.ProbeAddress} ({c.ProbeRoute})"));
        Assert.All(results, c => Assert.True(c.CleanedUp, c.CleanupError));
        if (mode != "host network")
        {
            Assert.Equal(4, results.Select(c => c.ProbeAddress).Distinct().Count());
        }
    }

    [Fact]
    public void TheListenerOwnerIsReadFromTheSocketTablesAndTheSessionsDescriptors()
    {
        const string Tables =
            "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n" +
            "   0: 00000000:22B8 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 4711 1 0000000000000000 100 0 0 10 0\n" +
            "   1: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 815 1 0000000000000000 100 0 0 10 0\n" +
            "   2: 0100007F:22B8 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000        0 999 1 0000000000000000 100 0 0 10 0\n";
        string Descriptors(string socket) => SessionNetwork.DescriptorMarker + "\n/proc/1/fd/:\nlrwx------ 1 1000 1000 64 Dec 6 05:00 0 -> /dev/null\nlrwx------ 1 1000 1000 64 Dec 6 05:00 3 -> socket:[" + socket + "]\n";

        Assert.Equal(SessionNetwork.Ownership.Container, SessionNetwork.ListenerOwner(Tables + Descriptors("4711"), 8888));
        Assert.Equal(SessionNetwork.Ownership.Foreign, SessionNetwork.ListenerOwner(Tables + Descriptors("815"), 8888));
        Assert.Equal(SessionNetwork.Ownership.Foreign, SessionNetwork.ListenerOwner(Tables + SessionNetwork.DescriptorMarker + "\n0 -> /dev/null\n", 8888));

        // The established connection (inode 999) on the same port is no listener.
        Assert.Equal(SessionNetwork.Ownership.Foreign, SessionNetwork.ListenerOwner(Tables + Descriptors("999"), 8888));

        // Nothing listens on the port, nothing readable, or no output at all: it cannot be told.
        Assert.Equal(SessionNetwork.Ownership.Unknown, SessionNetwork.ListenerOwner(Tables + Descriptors("4711"), 9999));
        Assert.Equal(SessionNetwork.Ownership.Unknown, SessionNetwork.ListenerOwner(Tables + SessionNetwork.DescriptorMarker + "\n", 8888));
        Assert.Equal(SessionNetwork.Ownership.Unknown, SessionNetwork.ListenerOwner(string.Empty, 8888));
    }

    [Fact]
    public async Task APortIsTakenWhenSomethingListensOnAnyAddress()
    {
        int port = FreePort.Next();
        Assert.False(await SessionNetwork.PortTakenAsync("127.0.0.1", port, default));
        if (Socket.OSSupportsIPv6)
        {
            // Listening on ::1 alone: 127.0.0.1 is not answered, yet a session could not bind the port.
            var listener = new TcpListener(IPAddress.IPv6Loopback, port);
            listener.Start();
            try
            {
                Assert.True(await SessionNetwork.PortTakenAsync("127.0.0.1", port, default));
            }
            finally
            {
                listener.Stop();
            }
        }

        using (Squatter.Start(port))
        {
            Assert.True(await SessionNetwork.PortTakenAsync("127.0.0.1", port, default));
        }
    }

    /// <summary>Containers, volumes and networks of checks still on the engine that no running check of this class owns (by image).</summary>
    /// <summary>
    /// The session checks' containers of the sleeping image still on the engine. Only session
    /// checks: the job checks of another test class use the same image on the same engine at the
    /// same time, and their containers (labelled as jobs) are none of these tests' business.
    /// </summary>
    private static string[] Leftovers(string host)
    {
        string containers = DockerDaemon.CliAt(host, TimeSpan.FromSeconds(30), "ps", "-a", "-q", "--filter", "ancestor=" + Sleeps, "--filter", "label=" + DockerSessionRunner.CheckLabel + "=session").EnsureSuccess("docker ps").StdOut.Trim();
        return containers.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>A process listening on a port before the check (as <c>python3 -m http.server</c> would): answers 200 to anything, counts connections.</summary>
    private sealed class Squatter : IDisposable
    {
        private readonly TcpListener listener;
        private readonly CancellationTokenSource stop = new();
        private int connections;

        private Squatter(TcpListener listener)
        {
            this.listener = listener;
            _ = Task.Run(AcceptAsync);
        }

        public int Connections => Volatile.Read(ref connections);

        public static Squatter Start(int port)
        {
            var listener = new TcpListener(IPAddress.Any, port);
            listener.Start();
            return new Squatter(listener);
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            stop.Dispose();
        }

        private async Task AcceptAsync()
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using TcpClient client = await listener.AcceptTcpClientAsync(stop.Token);
                    Interlocked.Increment(ref connections);
                    await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.0 200 OK\r\nContent-Length: 8\r\n\r\nsquatter"), stop.Token);
                }
                catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return;
                    }
                }
            }
        }
    }

    /// <summary>Takes the port when the check starts probing (after its check that the port was free).</summary>
    private sealed class LateSquatter(int port) : IProgress<string>, IDisposable
    {
        private Squatter? squatter;

        public bool Started => squatter is not null;

        public void Report(string value)
        {
            if (value.StartsWith("Probing ", StringComparison.Ordinal) && squatter is null)
            {
                squatter = Squatter.Start(port);
            }
        }

        public void Dispose() => squatter?.Dispose();
    }
}
