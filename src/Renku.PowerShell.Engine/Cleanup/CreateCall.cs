namespace Renku.PowerShell.Cleanup;

/// <summary>
/// Sends a request that creates something (a container, a volume, a pod) so that a stop does not
/// cut it short: once sent, the other side may be making the object whatever the client does,
/// and only its answer tells the cleanup that the object exists. On a stop the call is given
/// <see cref="SettleTimeout"/> to be answered, then the stop goes on.
/// </summary>
public static class CreateCall
{
    /// <summary>How long a stopped operation waits for a create request already sent.</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(4);

    /// <summary>The longest a create request may take at all.</summary>
    private static readonly TimeSpan CallTimeout = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Runs <paramref name="create"/>; throws <see cref="OperationCanceledException"/> when
    /// <paramref name="stop"/> fires, after the call was answered or <see cref="SettleTimeout"/>
    /// passed. <paramref name="settled"/> is true once the call has ended, whatever its result.
    /// </summary>
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> create, Action settled, CancellationToken stop)
    {
        var limit = new CancellationTokenSource(CallTimeout);
        Task<T> call = create(limit.Token);
        _ = call.ContinueWith(_ => { settled(); limit.Dispose(); }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            return await call.WaitAsync(stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested && !call.IsCompleted)
        {
            await Task.WhenAny(call, Task.Delay(SettleTimeout, CancellationToken.None)).ConfigureAwait(false);
            throw;
        }
    }
}
