using System.Collections.Concurrent;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The work items that worker threads hand to the pipeline thread during one
/// <see cref="PipelineBridge.Run{T}"/>: every write, progress record and
/// ShouldProcess question. Only the pipeline thread takes from it.
/// </summary>
internal sealed class PipelineQueue : IDisposable
{
    private readonly BlockingCollection<Item> items = new();

    /// <summary>True once the pipeline stopped listening: items are then dropped (questions answered no).</summary>
    internal bool Draining { get; private set; }

    /// <summary>Queues <paramref name="action"/>; <paramref name="dropped"/> runs instead when the pipeline no longer listens.</summary>
    internal void Post(Action action, Action? dropped = null)
    {
        if (!Draining)
        {
            try
            {
                items.Add(new Item(action, dropped));
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // Completed between the check and the add: the run is over.
            }
        }

        dropped?.Invoke();
    }

    /// <summary>The next item, waiting at most <paramref name="wait"/>; false when none came or the queue is complete.</summary>
    internal bool TryTake(TimeSpan wait, out Action? action, out bool completed)
    {
        completed = false;
        action = null;
        try
        {
            if (items.TryTake(out Item item, wait))
            {
                action = item.Action;
                return true;
            }
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            completed = true;
            return false;
        }

        completed = items.IsCompleted;
        return false;
    }

    /// <summary>No more items will be added (the work ended).</summary>
    internal void Complete()
    {
        try
        {
            items.CompleteAdding();
        }
        catch (ObjectDisposedException)
        {
            // The run returned before its work ended (a stop that outlasted the cleanup bound).
        }
    }

    /// <summary>From now on nothing reaches the pipeline: pending items are dropped, pending questions answered no.</summary>
    internal void Drain()
    {
        Draining = true;
        while (items.TryTake(out Item item))
        {
            item.Dropped?.Invoke();
        }
    }

    public void Dispose()
    {
        items.CompleteAdding();
        Drain();
        items.Dispose();
    }

    private readonly record struct Item(Action Action, Action? Dropped);
}
