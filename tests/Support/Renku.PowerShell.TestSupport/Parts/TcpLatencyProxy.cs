using System.Net;
using System.Net.Sockets;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A TCP relay on 127.0.0.1 that holds every chunk the client sends for a fixed time before passing
/// it on: the round trip of a distant server, at almost no CPU cost (unlike an HTTP proxy, which
/// parses and copies every message on the machine being measured). An HTTP request arrives as one
/// chunk, so each request is delayed once.
/// </summary>
public sealed class TcpLatencyProxy : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint target;
    private readonly TimeSpan latency;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private int requests;

    public TcpLatencyProxy(int targetPort, TimeSpan latency)
    {
        target = new IPEndPoint(IPAddress.Loopback, targetPort);
        this.latency = latency;
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, as used in image references.</summary>
    public string Host => "127.0.0.1:" + Port;

    /// <summary>Chunks relayed from clients (about one per request).</summary>
    public int Requests => Volatile.Read(ref requests);

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            _ = Task.Run(() => RelayAsync(client));
        }
    }

    private async Task RelayAsync(Socket client)
    {
        using (client)
        using (var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true })
        {
            client.NoDelay = true;
            try
            {
                await server.ConnectAsync(target, stopping.Token).ConfigureAwait(false);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                Task up = PumpAsync(client, server, delayed: true, done.Token);
                Task down = PumpAsync(server, client, delayed: false, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                done.Cancel();
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task PumpAsync(Socket from, Socket to, bool delayed, CancellationToken ct)
    {
        byte[] buffer = new byte[81920];
        try
        {
            while (true)
            {
                int read = await from.ReceiveAsync(buffer, SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                if (delayed)
                {
                    Interlocked.Increment(ref requests);
                    await Task.Delay(latency, ct).ConfigureAwait(false);
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, ct).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
