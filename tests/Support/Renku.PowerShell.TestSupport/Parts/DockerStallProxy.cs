using System.Net.Sockets;
using System.Text;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A unix-socket proxy in front of a Docker engine that holds back the engine's answer to one kind
/// of request for <see cref="HoldFor"/>: the engine has done the work (created the volume or
/// container) but the client has not heard so yet. A test stops the client in that window and
/// checks what is left.
/// </summary>
public sealed class DockerStallProxy : IDisposable
{
    private readonly Socket listener;
    private readonly string upstreamPath;
    private readonly string stalledRequest;
    private readonly TaskCompletionSource seen = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Socket> sockets = new();

    private DockerStallProxy(string path, string upstreamPath, string stalledRequest)
    {
        SocketPath = path;
        this.upstreamPath = upstreamPath;
        this.stalledRequest = stalledRequest;
        listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen(16);
        _ = Task.Run(AcceptLoopAsync);
    }

    public string SocketPath { get; }

    /// <summary>How long the answer to the stalled request is held back.</summary>
    public TimeSpan HoldFor { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The engine address to give the client (<c>unix:///...</c>).</summary>
    public string Host => "unix://" + SocketPath;

    /// <summary>Completes when the stalled request has been sent on to the engine.</summary>
    public Task RequestSeen => seen.Task;

    /// <summary>
    /// Completes when the engine has answered the stalled request (so it has done the work) and the
    /// answer is being held back: from then on, for <see cref="HoldFor"/>, the client does not know.
    /// </summary>
    public Task AnswerHeld => held.Task;

    /// <summary>Proxies to the engine at <paramref name="upstreamHost"/> (<c>unix:///...</c>), stalling the answer to requests whose path contains <paramref name="stalledRequest"/> (e.g. <c>/volumes/create</c>).</summary>
    public static DockerStallProxy Start(string upstreamHost, string stalledRequest)
    {
        string path = Path.Combine(Path.GetTempPath(), "renku-stall-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        return new DockerStallProxy(path, new Uri(upstreamHost).LocalPath, stalledRequest);
    }

    public void Dispose()
    {
        stopping.Cancel();
        lock (sockets)
        {
            foreach (Socket socket in sockets)
            {
                socket.Dispose();
            }
        }

        listener.Dispose();
        File.Delete(SocketPath);
        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            var upstream = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            lock (sockets)
            {
                sockets.Add(client);
                sockets.Add(upstream);
            }

            try
            {
                await upstream.ConnectAsync(new UnixDomainSocketEndPoint(upstreamPath), stopping.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                client.Dispose();
                continue;
            }

            var stall = new StrongBox<bool>();
            _ = Task.Run(() => PumpAsync(client, upstream, watch: stall));
            _ = Task.Run(() => PumpAsync(upstream, client, stall: stall));
        }
    }

    /// <summary>Copies bytes one way; requests are watched on the way in, answers held back on the way out.</summary>
    private async Task PumpAsync(Socket from, Socket to, StrongBox<bool>? watch = null, StrongBox<bool>? stall = null)
    {
        byte[] buffer = new byte[64 * 1024];
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, stopping.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                bool matched = watch is not null && Encoding.ASCII.GetString(buffer, 0, read).Contains(stalledRequest, StringComparison.Ordinal);
                if (matched)
                {
                    watch!.Value = true;
                }

                if (stall is { Value: true })
                {
                    // The engine answered the stalled request: hold the answer back for a while.
                    stall.Value = false;
                    held.TrySetResult();
                    await Task.Delay(HoldFor, stopping.Token).ConfigureAwait(false);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stopping.Token).ConfigureAwait(false);
                if (matched)
                {
                    seen.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Dispose();
            to.Dispose();
        }
    }

    private sealed class StrongBox<T>
    {
        public T? Value { get; set; }
    }
}
