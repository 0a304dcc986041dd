using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Renku.PowerShell.TestSupport.Hostile;

/// <summary>
/// An HTTP/1.1 server on 127.0.0.1 written on raw sockets, so that it can misbehave in ways a
/// proper server library will not: answer nothing, never finish its headers, drip a body a byte at
/// a time or stop halfway with the connection open. A plan picks the reply for each request; every
/// request is recorded with its headers and body, to prove what a client sent or did not send.
/// </summary>
public sealed class HostileHttpServer : IDisposable
{
    private const int MaxRequestHeadBytes = 64 * 1024;
    private const int MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>How many header lines an endless header sends at most (a bound, not a limit a client should reach).</summary>
    private const int MaxEndlessHeaderLines = 100_000;

    private readonly TcpListener listener;
    private readonly Func<HostileRequest, HostileReply> plan;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentBag<TcpClient> connections = new();
    private readonly Task acceptLoop;

    private HostileHttpServer(Func<HostileRequest, HostileReply> plan)
    {
        this.plan = plan;
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        acceptLoop = Task.Run(AcceptAsync);
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:PORT</c>, as image references and URLs name it.</summary>
    public string Host => "127.0.0.1:" + Port;

    public Uri Uri => new($"http://{Host}/");

    public ConcurrentQueue<HostileRequest> Requests { get; } = new();

    /// <summary>Starts a server that answers every request as <paramref name="plan"/> says.</summary>
    public static HostileHttpServer Start(Func<HostileRequest, HostileReply> plan) => new(plan);

    /// <summary>Starts a server that answers every request the same way.</summary>
    public static HostileHttpServer Start(HostileReply reply) => new(_ => reply);

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        foreach (TcpClient connection in connections)
        {
            connection.Dispose();
        }

        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await listener.AcceptTcpClientAsync(stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                return;
            }

            connections.Add(client);
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        CancellationToken token = stopping.Token;
        try
        {
            NetworkStream stream = client.GetStream();

            // Keep-alive: one connection may carry several requests; a proper answer closes it.
            for (int served = 0; served < 1000 && !token.IsCancellationRequested; served++)
            {
                HostileRequest? request = await ReadRequestAsync(stream, token).ConfigureAwait(false);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                HostileReply reply = plan(request);
                await ReplyAsync(stream, request, reply, token).ConfigureAwait(false);
                if (reply.Behaviour == HostileBehaviour.Answer)
                {
                    return;
                }
            }
        }
        catch (Exception) when (token.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The client gave up (what the tests want it to do).
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        finally
        {
            client.Dispose();
        }
    }

    private static async Task ReplyAsync(NetworkStream stream, HostileRequest request, HostileReply reply, CancellationToken token)
    {
        if (reply.Delay > TimeSpan.Zero)
        {
            await Task.Delay(reply.Delay, token).ConfigureAwait(false);
        }

        switch (reply.Behaviour)
        {
            case HostileBehaviour.Answer:
                await WriteAsync(stream, Head(reply.Status, reply.Headers, reply.Body.Length, close: true), token).ConfigureAwait(false);
                if (request.Method != "HEAD")
                {
                    await WriteAsync(stream, reply.Body, token).ConfigureAwait(false);
                }

                return;

            case HostileBehaviour.NeverAnswer:
                await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                return;

            case HostileBehaviour.EndlessHeaders:
                await WriteAsync(stream, Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\n"), token).ConfigureAwait(false);
                for (int line = 0; line < MaxEndlessHeaderLines; line++)
                {
                    await WriteAsync(stream, Encoding.ASCII.GetBytes($"X-Still-Coming-{line}: yes\r\n"), token).ConfigureAwait(false);
                    await Task.Delay(reply.Interval, token).ConfigureAwait(false);
                }

                return;

            case HostileBehaviour.Drip:
                await WriteAsync(stream, Head(reply.Status, reply.Headers, reply.Body.Length, close: false), token).ConfigureAwait(false);
                for (int i = 0; i < reply.Body.Length; i++)
                {
                    await Task.Delay(reply.Interval, token).ConfigureAwait(false);
                    await WriteAsync(stream, reply.Body.AsMemory(i, 1), token).ConfigureAwait(false);
                }

                return;

            case HostileBehaviour.StallMidBody:
                await WriteAsync(stream, Head(reply.Status, reply.Headers, reply.Body.Length, close: false), token).ConfigureAwait(false);
                await WriteAsync(stream, reply.Body.AsMemory(0, Math.Min(reply.BytesBeforeStall, reply.Body.Length)), token).ConfigureAwait(false);
                await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                return;
        }
    }

    private static byte[] Head(int status, IReadOnlyDictionary<string, string> headers, int length, bool close)
    {
        var head = new StringBuilder();
        head.Append("HTTP/1.1 ").Append(status).Append(' ').Append(status is >= 200 and < 300 ? "OK" : "Status").Append("\r\n");
        foreach (var (name, value) in headers)
        {
            head.Append(name).Append(": ").Append(value).Append("\r\n");
        }

        head.Append("Content-Length: ").Append(length).Append("\r\n");
        if (close)
        {
            head.Append("Connection: close\r\n");
        }

        head.Append("\r\n");
        return Encoding.ASCII.GetBytes(head.ToString());
    }

    private static async Task WriteAsync(NetworkStream stream, ReadOnlyMemory<byte> bytes, CancellationToken token)
    {
        await stream.WriteAsync(bytes, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>The next request on the connection, or null when the client closed it.</summary>
    private static async Task<HostileRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken token)
    {
        var head = new List<byte>();
        byte[] one = new byte[1];
        while (!EndsWithBlankLine(head))
        {
            if (head.Count >= MaxRequestHeadBytes)
            {
                throw new IOException("The request head is too long.");
            }

            if (await stream.ReadAsync(one, token).ConfigureAwait(false) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        string[] lines = Encoding.Latin1.GetString(head.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        string[] requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string line in lines.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
            }
        }

        int length = headers.TryGetValue("Content-Length", out string? text) && int.TryParse(text, out int n) ? Math.Min(n, MaxRequestBodyBytes) : 0;
        byte[] body = new byte[length];
        int read = 0;
        while (read < length)
        {
            int got = await stream.ReadAsync(body.AsMemory(read), token).ConfigureAwait(false);
            if (got == 0)
            {
                return null;
            }

            read += got;
        }

        return new HostileRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "/", headers, Encoding.UTF8.GetString(body));
    }

    private static bool EndsWithBlankLine(List<byte> head) =>
        head.Count >= 4 && head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n';
}
