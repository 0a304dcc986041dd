using System.Collections.Concurrent;

using Renku.PowerShell.Builds;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>
/// Runs engine work on a worker thread and hands its events to the pipeline thread, which is the
/// only thread allowed to write to PowerShell's streams.
/// </summary>
internal static class BuildEventPump
{
    public static T Run<T>(Func<Action<BuildEvent>, Task<T>> work, Action<BuildEvent> handle)
    {
        var queue = new BlockingCollection<BuildEvent>();
        void Enqueue(BuildEvent e)
        {
            try
            {
                queue.Add(e);
            }
            catch (InvalidOperationException)
            {
                // The pipeline stopped listening (Ctrl+C); late events have nowhere to go.
            }
        }

        Task<T> task = Task.Run(() => work(Enqueue));
        task.ContinueWith(_ => queue.CompleteAdding(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        try
        {
            foreach (BuildEvent e in queue.GetConsumingEnumerable())
            {
                handle(e);
            }
        }
        finally
        {
            queue.CompleteAdding();
        }

        return task.GetAwaiter().GetResult();
    }
}
