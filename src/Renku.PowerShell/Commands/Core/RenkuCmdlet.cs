using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.ExceptionServices;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The one core every cmdlet of the module derives from (<see cref="RenkuApiCmdlet"/> for those that
/// talk to Renku). It owns the sealed life cycle: Begin/Process/End of the cmdlet, piped hashtables
/// bound by <see cref="HashtableRecordBinder"/>, engine work run by <see cref="PipelineBridge"/> with
/// <see cref="Run{T}(Func{PipelineWriter, CancellationToken, Task{T}})"/>, which hands the work a
/// <see cref="PipelineWriter"/> (its only way to write, ask ShouldProcess or report progress) and
/// stops it, bounded, with the pipeline. Code of the cmdlet itself runs on the pipeline thread and
/// writes with PowerShell's own methods. Failures become error records through <see cref="ErrorMap"/>;
/// an exception the map does not know is a bug and surfaces as itself, with its stack.
/// </summary>
public abstract class RenkuCmdlet : PSCmdlet, IDisposable
{
    /// <summary>How long a stopped cmdlet waits for its workers to clean up before it returns anyway.</summary>
    internal static readonly TimeSpan CleanupWait = TimeSpan.FromSeconds(10);

    private readonly PipelineBridge bridge;
    private HashtableRecordBinder? binder;
    private Dictionary<int, ProgressRecord>? openProgress;
    private int pipelineThread;
    private Runspace? runspace;
    private bool disposed;

    protected RenkuCmdlet()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        bridge = new PipelineBridge(this);
    }

    /// <summary>
    /// How long this invocation waits for its workers' cleanup once stopped: <see cref="CleanupWait"/>.
    /// A stop returns within it whatever the work does; work that outlasts it goes on in the
    /// background until it ends.
    /// </summary>
    protected virtual TimeSpan CleanupBound => CleanupWait;

    /// <summary>The bound the bridge waits for cleanup (<see cref="CleanupBound"/>).</summary>
    internal TimeSpan StopBound => CleanupBound;

    /// <summary>
    /// Cancelled when the pipeline stops (Ctrl+C, Stop-Job, a refused write, SIGTERM): the name
    /// PowerShell 7.6 gives its own token. Engine work gets it as its second argument.
    /// </summary>
    protected CancellationToken PipelineStopToken => bridge.StopToken;

    /// <summary>
    /// What the invocation created outside this process and has not removed yet: engine work that
    /// creates containers, volumes or pods records them here, so a stop that outlasts the cleanup
    /// wait can name what is left.
    /// </summary>
    protected internal CleanupLedger Ledger { get; } = new();

    /// <summary>The runspace the invocation began in (a worker has none of its own).</summary>
    private protected Runspace? InvocationRunspace => runspace;

    // ---- Life cycle ---------------------------------------------------------------------------

    /// <summary>Runs once before the first input (BeginProcessing).</summary>
    protected virtual void Begin()
    {
    }

    /// <summary>Runs once per input (ProcessRecord).</summary>
    protected virtual void Process()
    {
    }

    /// <summary>Runs once after the last input (EndProcessing).</summary>
    protected virtual void End()
    {
    }

    protected sealed override void BeginProcessing()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        runspace = Runspace.DefaultRunspace;
        if (this is IHashtableInput input)
        {
            // A piped hashtable binds by key, as a [pscustomobject] binds by property (PowerShell
            // binds only objects' properties): the documented -InputObject takes it by value.
            binder = new HashtableRecordBinder(this, input);
        }

        Begin();
    }

    protected sealed override void ProcessRecord()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        if (binder is null || binder.Bind(out ErrorRecord? refused))
        {
            Process();
        }
        else
        {
            WriteError(refused!);
        }
    }

    protected sealed override void EndProcessing()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        End();
        CompleteProgress();
    }

    protected sealed override void StopProcessing() => bridge.Stop();

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            if (bridge.Running is { IsCompleted: false } work)
            {
                // A stop returned before the work ended: it still uses what the cmdlet holds.
                _ = work.ContinueWith(_ => Release(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
            else
            {
                Release();
            }
        }

        GC.SuppressFinalize(this);
    }

    private void Release()
    {
        Dispose(true);
        bridge.Dispose();
    }

    /// <summary>Releases what the cmdlet holds (inspectors, clients).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    // ---- Running engine work ------------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and returns its result (or rethrows its
    /// exception). The work gets a <see cref="PipelineWriter"/>, its only way to reach the pipeline,
    /// and <see cref="PipelineStopToken"/>; see <see cref="PipelineBridge.Run{T}"/> for the stop.
    /// </summary>
    protected T Run<T>(Func<PipelineWriter, CancellationToken, Task<T>> work) => bridge.Run(work);

    /// <inheritdoc cref="Run{T}(Func{PipelineWriter, CancellationToken, Task{T}})"/>
    protected void Run(Func<PipelineWriter, CancellationToken, Task> work) => Run<bool>(async (writer, token) =>
    {
        await work(writer, token).ConfigureAwait(false);
        return true;
    });

    /// <summary>
    /// The writer of the engine work running now, or null: for engine callbacks that outlive one
    /// run (an API client's debug log), whose messages are dropped when no work runs.
    /// </summary>
    private protected PipelineWriter? CurrentWriter => bridge.Writer;

    // ---- Progress -----------------------------------------------------------------------------

    /// <summary>Writes a progress record from engine work (pipeline thread), remembering the open ones.</summary>
    internal void WriteTrackedProgress(ProgressRecord progressRecord)
    {
        if (progressRecord.RecordType == ProgressRecordType.Completed)
        {
            openProgress?.Remove(progressRecord.ActivityId);
        }
        else
        {
            (openProgress ??= new Dictionary<int, ProgressRecord>())[progressRecord.ActivityId] = progressRecord;
        }

        WriteProgress(progressRecord);
    }

    /// <summary>Completes the progress records engine work left open (the pipeline thread; also at the end of the cmdlet).</summary>
    protected void CompleteProgress()
    {
        if (openProgress is not { Count: > 0 })
        {
            return;
        }

        foreach (ProgressRecord record in openProgress.Values.ToList())
        {
            WriteTrackedProgress(new ProgressRecord(record.ActivityId, record.Activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = record.ParentActivityId });
        }
    }

    // ---- Failures -----------------------------------------------------------------------------

    /// <summary>
    /// Stops the cmdlet with <paramref name="errorRecord"/>: PowerShell's ThrowTerminatingError on
    /// the pipeline thread. A check that may run inside engine work (the connection a lazily made
    /// API client needs) ends the work instead, and the bridge raises the error on the pipeline thread.
    /// </summary>
    [DoesNotReturn]
    protected internal void Refuse(ErrorRecord errorRecord)
    {
        if (Environment.CurrentManagedThreadId != pipelineThread)
        {
            throw new PipelineBridge.TerminatingError(errorRecord);
        }

        ThrowTerminatingError(errorRecord);
        throw new UnreachableException();
    }

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    protected void WriteFailure(Exception exception, object? target) => WriteError(FailureRecord(exception, target));

    /// <summary>Stops the cmdlet with the error record for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    [DoesNotReturn]
    protected void ThrowFailure(Exception exception, object? target) => Refuse(FailureRecord(exception, target));

    /// <summary>The error record for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    internal ErrorRecord FailureRecord(Exception exception, object? target)
    {
        ErrorRecord? record = ErrorMap.For(exception, target);
        if (record is null)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        return record;
    }

    /// <summary>True when the error map has a record for <paramref name="exception"/> (for exception filters).</summary>
    protected static bool IsKnownFailure(Exception exception) => ErrorMap.Knows(exception);

    /// <summary>The error for text that is not a Renku id, with advice for this cmdlet.</summary>
    protected ErrorRecord InvalidIdError(string id, string errorId = ErrorIds.InvalidEnvironmentId) => ErrorMap.InvalidId(id, errorId, MyInvocation.MyCommand.Name);

    /// <summary>Writes one error per invalid value; true when there were none.</summary>
    protected bool WriteValidationErrors(IEnumerable<EnvironmentValidationProblem> problems, object? target)
    {
        bool valid = true;
        foreach (EnvironmentValidationProblem problem in problems)
        {
            valid = false;
            WriteError(ErrorMap.Validation(problem, target));
        }

        return valid;
    }
}
