namespace Renku.PowerShell.Http;

/// <summary>
/// Requests to Renku and its identity provider under <see cref="HttpTimeouts"/>: the headers
/// within their bound, the body bounded in size and held to the low-speed rule, the whole
/// operation within its bound. Every way of running out of time is an <see cref="HttpTimeoutException"/>.
/// </summary>
internal static class TimedHttp
{
    /// <summary>Sends <paramref name="request"/> and returns once the response headers are in.</summary>
    /// <param name="what">The request as a message names it (<c>GET /environments</c>).</param>
    public static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, HttpTimeouts timeouts, string what, CancellationToken cancellationToken)
    {
        using var headers = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        headers.CancelAfter(timeouts.ResponseHeaders);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpTimeoutException($"{what} got no answer from {request.RequestUri?.Authority} within {HttpTimeouts.Describe(timeouts.ResponseHeaders)}.", ex);
        }
    }

    /// <summary>Reads a whole body of at most <paramref name="maxBytes"/>; a larger one is refused with what <paramref name="tooLarge"/> makes.</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, HttpTimeouts timeouts, long maxBytes, string what, Func<Exception> tooLarge, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
        {
            throw tooLarge();
        }

        Stream raw = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var stream = new LowSpeedGuardStream(raw, timeouts, how => new HttpTimeoutException($"The answer to {what} was too slow: {how}."));
        return await BoundedBody.ReadAsync(stream, maxBytes, tooLarge, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs one operation; when its bound passes first, the work is cancelled and an <see cref="HttpTimeoutException"/> says so.</summary>
    public static Task<T> WithinAsync<T>(HttpTimeouts timeouts, string what, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        WithinAsync(timeouts.Operation, late => new HttpTimeoutException($"{what} did not finish within {HttpTimeouts.Describe(timeouts.Operation)}.", late), work, cancellationToken);

    /// <summary>Runs one operation; when <paramref name="bound"/> passes first, the work is cancelled and what <paramref name="timedOut"/> makes is thrown.</summary>
    public static async Task<T> WithinAsync<T>(TimeSpan bound, Func<OperationCanceledException, Exception> timedOut, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        using var operation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        operation.CancelAfter(bound);
        try
        {
            return await work(operation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (operation.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw timedOut(ex);
        }
    }
}
