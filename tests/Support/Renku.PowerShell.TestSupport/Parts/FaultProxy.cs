using System.Collections.Concurrent;
using System.Net;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A loopback HTTP proxy in front of a registry that can misbehave on purpose: a rule sees each
/// request (with how many times its path was asked before) and either answers it itself (429,
/// 500, a cut connection, wrong bytes, a redirect) or lets it through. Every request is recorded,
/// with the Authorization header it carried.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private readonly HttpListener listener = new();
    private readonly HttpClient upstreamClient = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(2) };
    private readonly ConcurrentDictionary<string, int> counts = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;

    private FaultProxy(Uri upstream, int port, string hostName, Func<FaultContext, Task<bool>>? rule)
    {
        Upstream = upstream;
        Port = port;
        HostName = hostName;
        Rule = rule;
        listener.Prefixes.Add($"http://{hostName}:{port}/");
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public Uri Upstream { get; }

    public int Port { get; }

    /// <summary>The name the proxy answers to (<c>127.0.0.1</c> or <c>localhost</c>, which count as different hosts).</summary>
    public string HostName { get; }

    /// <summary><c>host:port</c>, as used in image references.</summary>
    public string Host => HostName + ":" + Port;

    public Func<FaultContext, Task<bool>>? Rule { get; set; }

    /// <summary>Authorization to add when forwarding requests that carry none (a CDN's signed URL, in effect).</summary>
    public string? UpstreamAuthorization { get; set; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public static FaultProxy Start(Uri upstream, Func<FaultContext, Task<bool>>? rule = null, string hostName = "127.0.0.1") =>
        new(upstream, FreePort.Next(), hostName, rule);

    public void Dispose()
    {
        stopping.Cancel();
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        upstreamClient.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        string path = context.Request.Url!.AbsolutePath;
        int seen = counts.AddOrUpdate(context.Request.HttpMethod + " " + path, 0, (_, n) => n + 1);
        Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, context.Request.Url.PathAndQuery, context.Request.Headers["Authorization"]));
        try
        {
            var fault = new FaultContext(this, context, seen, stopping.Token);
            if (Rule is null || !await Rule(fault).ConfigureAwait(false))
            {
                await fault.ForwardAsync().ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    internal async Task ForwardAsync(HttpListenerContext context, Func<byte[], byte[]>? transform, long? cutAfter, CancellationToken ct)
    {
        var target = new Uri(Upstream, context.Request.Url!.PathAndQuery);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.HttpMethod), target);
        foreach (string name in new[] { "Accept", "Authorization", "Range" })
        {
            string? value = context.Request.Headers[name];
            if (value is not null)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        if (context.Request.Headers["Authorization"] is null && UpstreamAuthorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", UpstreamAuthorization);
        }

        using HttpResponseMessage response = await upstreamClient.SendAsync(request, ct).ConfigureAwait(false);
        byte[] body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        if (transform is not null && response.IsSuccessStatusCode)
        {
            body = transform(body);
        }

        HttpListenerResponse outgoing = context.Response;
        outgoing.StatusCode = (int)response.StatusCode;
        foreach (var header in response.Headers.Concat(response.Content.Headers))
        {
            if (header.Key is "Content-Length" or "Transfer-Encoding" or "Connection" or "Date" or "Server")
            {
                continue;
            }

            foreach (string value in header.Value)
            {
                string rewritten = header.Key == "Location" ? value.Replace(Upstream.Authority, Host, StringComparison.Ordinal) : value;
                outgoing.Headers.Add(header.Key, rewritten);
            }
        }

        if (context.Request.HttpMethod == "HEAD")
        {
            outgoing.ContentLength64 = response.Content.Headers.ContentLength ?? 0;
            outgoing.Close();
            return;
        }

        outgoing.ContentLength64 = body.Length;
        if (cutAfter is long cut && cut < body.Length)
        {
            await outgoing.OutputStream.WriteAsync(body.AsMemory(0, (int)cut), ct).ConfigureAwait(false);
            await outgoing.OutputStream.FlushAsync(ct).ConfigureAwait(false);
            outgoing.Abort();
            return;
        }

        await outgoing.OutputStream.WriteAsync(body, ct).ConfigureAwait(false);
        outgoing.Close();
    }
}

/// <summary>One request as the proxy saw it.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization);

/// <summary>What a <see cref="FaultProxy"/> rule gets: the request, how often its path was seen before, and ways to answer.</summary>
public sealed class FaultContext
{
    private readonly FaultProxy proxy;

    internal FaultContext(FaultProxy proxy, HttpListenerContext context, int previousRequests, CancellationToken stopping)
    {
        this.proxy = proxy;
        Context = context;
        PreviousRequests = previousRequests;
        Stopping = stopping;
    }

    public HttpListenerContext Context { get; }

    public string Method => Context.Request.HttpMethod;

    public string Path => Context.Request.Url!.AbsolutePath;

    /// <summary>How many requests with the same method and path came before this one.</summary>
    public int PreviousRequests { get; }

    public CancellationToken Stopping { get; }

    public bool IsBlob => Path.Contains("/blobs/sha256:", StringComparison.Ordinal);

    public bool IsManifest => Path.Contains("/manifests/", StringComparison.Ordinal);

    public Task ForwardAsync() => proxy.ForwardAsync(Context, null, null, Stopping);

    /// <summary>Forwards, but changes the body's bytes on the way back.</summary>
    public Task ForwardAlteredAsync(Func<byte[], byte[]> transform) => proxy.ForwardAsync(Context, transform, null, Stopping);

    /// <summary>Forwards, but drops the connection after <paramref name="bytes"/> bytes of the body.</summary>
    public Task ForwardCutAsync(long bytes) => proxy.ForwardAsync(Context, null, bytes, Stopping);

    /// <summary>Answers with a status, optional headers and body.</summary>
    public async Task RespondAsync(int status, IDictionary<string, string>? headers = null, byte[]? body = null, bool chunked = false)
    {
        HttpListenerResponse response = Context.Response;
        response.StatusCode = status;
        foreach (var header in headers ?? new Dictionary<string, string>())
        {
            response.Headers.Add(header.Key, header.Value);
        }

        body ??= Array.Empty<byte>();
        if (chunked)
        {
            response.SendChunked = true;
        }
        else
        {
            response.ContentLength64 = body.Length;
        }

        await response.OutputStream.WriteAsync(body, Stopping).ConfigureAwait(false);
        response.Close();
    }

    /// <summary>Never answers until the proxy stops (a hung registry).</summary>
    public async Task HangAsync()
    {
        try
        {
            await Task.Delay(Timeout.Infinite, Stopping).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        Context.Response.Abort();
    }
}
