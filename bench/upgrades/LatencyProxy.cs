using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Renku.PowerShell.Bench.Upgrades;

/// <summary>
/// An HTTP reverse proxy on loopback that waits a fixed time before forwarding each request to the
/// registry, and counts requests by kind (tag listings per repository, manifests, other).
/// </summary>
internal sealed class LatencyProxy : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly HttpClient upstream = new(new SocketsHttpHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 64 });
    private readonly Uri target;
    private readonly TimeSpan latency;
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;

    public LatencyProxy(Uri target, TimeSpan latency)
    {
        this.target = target;
        this.latency = latency;
        Port = FreePort();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(AcceptLoop);
    }

    public int Port { get; }

    public ConcurrentDictionary<string, int> TagListings { get; } = new(StringComparer.Ordinal);

    public int TotalRequests => totalRequests;

    private int totalRequests;

    public void Reset()
    {
        TagListings.Clear();
        Interlocked.Exchange(ref totalRequests, 0);
    }

    public void Dispose()
    {
        stop.Cancel();
        listener.Stop();
        listener.Close();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        upstream.Dispose();
    }

    private async Task AcceptLoop()
    {
        while (!stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private async Task Handle(HttpListenerContext context)
    {
        Interlocked.Increment(ref totalRequests);
        string path = context.Request.Url!.AbsolutePath;
        int tags = path.IndexOf("/tags/list", StringComparison.Ordinal);
        if (tags > 0)
        {
            TagListings.AddOrUpdate(path.Substring(4, tags - 4), 1, (_, n) => n + 1);
        }

        try
        {
            await Task.Delay(latency).ConfigureAwait(false);
            using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), new Uri(target, context.Request.Url.PathAndQuery));
            foreach (string? name in context.Request.Headers.AllKeys)
            {
                if (name is null || name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                request.Headers.TryAddWithoutValidation(name, context.Request.Headers.GetValues(name) ?? Array.Empty<string>());
            }

            using HttpResponseMessage response = await upstream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
            context.Response.StatusCode = (int)response.StatusCode;
            foreach (var header in response.Headers.Concat(response.Content.Headers))
            {
                if (header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string value = string.Join(",", header.Value);
                if (header.Key.Equals("Link", StringComparison.OrdinalIgnoreCase) || header.Key.Equals("Location", StringComparison.OrdinalIgnoreCase))
                {
                    value = value.Replace(target.Authority, $"127.0.0.1:{Port}", StringComparison.Ordinal);
                }

                context.Response.Headers[header.Key] = value;
            }

            byte[] body = await response.Content.ReadAsByteArrayAsync().ConfigureAwait(false);
            context.Response.ContentLength64 = body.Length;
            if (context.Request.HttpMethod != "HEAD")
            {
                await context.Response.OutputStream.WriteAsync(body).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException)
        {
            context.Response.StatusCode = 502;
        }
        finally
        {
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }
}
