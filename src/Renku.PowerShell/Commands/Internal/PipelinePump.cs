using System.Collections.Concurrent;
using System.Management.Automation;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>
/// Runs engine work off the pipeline thread and replays what it reports (verbose lines,
/// progress) on the pipeline thread, the only one allowed to call Write*. One per invocation;
/// its token is cancelled by StopProcessing.
/// </summary>
internal sealed class PipelinePump : IDisposable
{
    private readonly BlockingCollection<Action> pending = new();
    private readonly CancellationTokenSource cancellation = new();

    internal CancellationToken Token => cancellation.Token;

    /// <summary>Queues work for the pipeline thread (callable from any thread).</summary>
    internal void Post(Action action)
    {
        if (!pending.IsAddingCompleted)
        {
            try
            {
                pending.Add(action);
            }
            catch (InvalidOperationException)
            {
                // Completed between the check and the add: the invocation is over.
            }
        }
    }

    /// <summary>Runs <paramref name="work"/> and drains the queue until it ends; rethrows its exception.</summary>
    internal T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        Task<T> task = Task.Run(() => work(cancellation.Token));
        while (!task.IsCompleted)
        {
            if (pending.TryTake(out Action? action, 50))
            {
                action();
            }
        }

        Drain();
        try
        {
            return task.GetAwaiter().GetResult();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }

    internal void Drain()
    {
        while (pending.TryTake(out Action? action))
        {
            action();
        }
    }

    internal void Cancel() => cancellation.Cancel();

    public void Dispose()
    {
        pending.CompleteAdding();
        pending.Dispose();
        cancellation.Dispose();
    }
}
