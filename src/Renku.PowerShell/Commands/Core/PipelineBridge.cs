using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// Runs one piece of engine work at a time on a worker thread for a <see cref="RenkuCmdlet"/>, and
/// pumps the <see cref="PipelineQueue"/> on the pipeline thread so that what the work asks for
/// (writes, progress, ShouldProcess) is carried out there. Whatever stops the cmdlet (StopProcessing,
/// a write the pipeline refuses, SIGTERM) cancels the invocation's token; the bridge then waits at
/// most the cmdlet's cleanup bound for the work to clean up, and returns anyway, naming in a
/// warning what the <see cref="Cleanup.CleanupLedger"/> still holds.
/// </summary>
internal sealed class PipelineBridge : IDisposable
{
    private readonly RenkuCmdlet cmdlet;
    private readonly CancellationTokenSource stopping = new();
    private PipelineQueue? queue;
    private Task? running;

    internal PipelineBridge(RenkuCmdlet cmdlet)
    {
        this.cmdlet = cmdlet;
    }

    /// <summary>Cancelled when the pipeline stops.</summary>
    internal CancellationToken StopToken => stopping.Token;

    /// <summary>True once the invocation was stopped.</summary>
    internal bool Stopped => stopping.IsCancellationRequested;

    /// <summary>
    /// The writer of the run in progress; null when no work runs. For engine callbacks that outlive
    /// one run (an API client's debug log): what they say goes to the work running now, or nowhere.
    /// </summary>
    internal PipelineWriter? Writer { get; private set; }

    /// <summary>The work of the last run, which may outlast a stop.</summary>
    internal Task? Running => running;

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread, with a <see cref="PipelineWriter"/> and the
    /// stop token, and carries out on this (the pipeline) thread what it asks for through the writer. Returns its result or rethrows its exception. When the
    /// pipeline stops (StopProcessing, or a write that throws because a downstream command stopped
    /// it) the work is cancelled and awaited for up to the cleanup bound, so that what it created
    /// is removed before the cmdlet returns; work still running then goes on in the background and
    /// the cmdlet returns anyway, warning what is left.
    /// </summary>
    internal T Run<T>(Func<PipelineWriter, CancellationToken, Task<T>> work)
    {
        if (queue is not null)
        {
            throw new InvalidOperationException("Run is not reentrant: start one piece of engine work at a time.");
        }

        using var runQueue = new PipelineQueue();
        var writer = new PipelineWriter(cmdlet, runQueue, stopping.Token);
        queue = runQueue;
        Writer = writer;
        Task<T> task;
        using (TerminationSignal.Register(this))
        {
            try
            {
                task = Task.Run(() => work(writer, stopping.Token), CancellationToken.None);
                running = task;
                _ = task.ContinueWith(_ => runQueue.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                Pump(runQueue, task);
            }
            finally
            {
                queue = null;
                Writer = null;
            }
        }

        if (stopping.IsCancellationRequested && !task.IsCompleted)
        {
            // The cleanup outlasted the bound (the warning named what is left). The stop returns
            // now; the work goes on in the background until it ends, and nothing waits for it.
            LetRunOn(task);
            throw new PipelineStoppedException();
        }

        if (stopping.IsCancellationRequested && (task.IsCanceled || task.Exception?.GetBaseException() is OperationCanceledException))
        {
            throw new PipelineStoppedException();
        }

        if (task.Exception?.GetBaseException() is TerminatingError terminating)
        {
            cmdlet.ThrowTerminatingError(terminating.Record);
            throw new System.Diagnostics.UnreachableException();
        }

        return task.GetAwaiter().GetResult();
    }

    private void Pump(PipelineQueue runQueue, Task task)
    {
        DateTime? giveUpAt = null;
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                // Nothing may be written any more; wait for the cleanup, then return.
                runQueue.Drain();
                giveUpAt ??= DateTime.UtcNow + cmdlet.StopBound;
                if (task.IsCompleted || DateTime.UtcNow >= giveUpAt)
                {
                    if (!task.IsCompleted)
                    {
                        WarnLeftovers();
                    }

                    return;
                }
            }

            if (runQueue.TryTake(TimeSpan.FromMilliseconds(100), out Action? action, out bool completed))
            {
                try
                {
                    action!();
                }
                catch (Exception ex)
                {
                    // The pipeline refused a write: it is stopping (Ctrl+C, Select-Object -First
                    // downstream, an error under -ErrorAction Stop). Stop the work, let it clean up,
                    // then let the refusal unwind the pipeline.
                    Stop();
                    runQueue.Drain();
                    AwaitCleanup(task);
                    LetRunOn(task);
                    ExceptionDispatchInfo.Capture(ex).Throw();
                }
            }
            else if (completed)
            {
                return;
            }
        }
    }

    /// <summary>Cancels the invocation's work (from StopProcessing, a refused write or SIGTERM).</summary>
    internal void Stop()
    {
        try
        {
            stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The invocation is over.
        }
    }

    /// <summary>Waits up to the cleanup bound for the work to finish its cleanup; warns when it does not.</summary>
    private void AwaitCleanup(Task task)
    {
        if (!WaitQuietly(task, cmdlet.StopBound))
        {
            WarnLeftovers();
        }
    }

    /// <summary>
    /// Leaves unfinished work to end in the background: its failure, if any, is observed (nobody
    /// will read it), and what it uses stays undisposed until it ends (see <see cref="RenkuCmdlet.Dispose()"/>).
    /// </summary>
    private static void LetRunOn(Task task)
    {
        if (!task.IsCompleted)
        {
            _ = task.ContinueWith(t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>Waits for <paramref name="task"/> to end, however it ends, for at most <paramref name="timeout"/>; true when it ended.</summary>
    private static bool WaitQuietly(Task task, TimeSpan timeout) =>
        ((IAsyncResult)task).AsyncWaitHandle.WaitOne(timeout) || task.IsCompleted;

    /// <summary>Called from the SIGTERM handler: stop and wait for the cleanup of the work in flight.</summary>
    internal void StopForTermination()
    {
        Stop();
        if (running is { } task)
        {
            WaitQuietly(task, cmdlet.StopBound);
        }
    }

    /// <summary>
    /// The cleanup did not finish in time: say what is left, straight to the host (the pipeline is
    /// stopping and refuses warnings).
    /// </summary>
    private void WarnLeftovers()
    {
        IReadOnlyList<string> left = cmdlet.Ledger.Outstanding;
        string name = cmdlet.MyInvocation.MyCommand.Name;
        double seconds = cmdlet.StopBound.TotalSeconds;
        string message = left.Count == 0
            ? $"{name} was stopped and its cleanup did not finish within {seconds:0.#} s; it goes on in the background."
            : $"{name} was stopped and could not remove within {seconds:0.#} s: {string.Join("; ", left)}. The cleanup goes on in the background while this session lasts; remove what is still there by hand.";
        try
        {
            cmdlet.Host.UI.WriteWarningLine(message);
        }
        catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or NotImplementedException or IOException)
        {
            Console.Error.WriteLine("WARNING: " + message);
        }
    }

    /// <summary>Releases the token source (and a queue left behind), once the work ended.</summary>
    public void Dispose()
    {
        queue?.Dispose();
        stopping.Dispose();
    }

    /// <summary>A terminating error raised on a worker thread, carried to the pipeline thread by <see cref="Run{T}"/>.</summary>
    internal sealed class TerminatingError : Exception
    {
        internal TerminatingError(ErrorRecord record)
            : base(record.Exception?.Message ?? record.ToString())
        {
            Record = record;
        }

        internal ErrorRecord Record { get; }
    }

    /// <summary>
    /// Registers the invocation for SIGTERM while engine work runs: CI systems and <c>timeout</c>
    /// send it when they give up, and the work's cleanup should run as it does for Ctrl+C.
    /// </summary>
    private sealed class TerminationSignal : IDisposable
    {
        private readonly PosixSignalRegistration? registration;

        private TerminationSignal(PipelineBridge bridge)
        {
            try
            {
                registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => bridge.StopForTermination());
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or UnauthorizedAccessException)
            {
                registration = null;
            }
        }

        internal static TerminationSignal Register(PipelineBridge bridge) => new(bridge);

        public void Dispose() => registration?.Dispose();
    }
}
