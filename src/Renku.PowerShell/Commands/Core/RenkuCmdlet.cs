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
/// <see cref="Run{T}(Func{CancellationToken, Task{T}})"/> while the pipeline thread carries out every
/// Write*, progress record and ShouldProcess question the workers ask for, and a stop that waits
/// (bounded) for the workers' cleanup. Failures become error records through <see cref="ErrorMap"/>;
/// an exception the map does not know is a bug and surfaces as itself, with its stack.
/// </summary>
public abstract partial class RenkuCmdlet : PSCmdlet, IDisposable
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

    /// <summary>Cancelled when the pipeline stops.</summary>
    protected CancellationToken CancellationToken => bridge.StopToken;

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

        ApplyParameterGroups();
        Begin();
    }

    protected sealed override void ProcessRecord()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        ApplyParameterGroups();
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
    /// Runs <paramref name="work"/> on a worker thread and carries out, on this (the pipeline)
    /// thread, what it asks for through the Write*/ShouldProcess methods of this class; see
    /// <see cref="PipelineBridge.Run{T}"/>.
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work) => bridge.Run(work);

    /// <inheritdoc cref="Run{T}(Func{CancellationToken, Task{T}})"/>
    protected void Run(Func<CancellationToken, Task> work) => Run<bool>(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    // ---- Writing from any thread --------------------------------------------------------------

    private bool OnPipelineThread => Environment.CurrentManagedThreadId == pipelineThread;

    /// <summary>Runs <paramref name="action"/> on the pipeline thread: at once from there, queued from a worker.</summary>
    private void OnPipeline(Action action)
    {
        if (OnPipelineThread)
        {
            action();
            return;
        }

        PipelineQueue? current = bridge.Queue;
        if (current is null)
        {
            throw new InvalidOperationException("Engine work wrote to the pipeline outside Run; the pipeline thread is not listening.");
        }

        current.Post(action);
    }

    /// <summary>
    /// As <see cref="OnPipeline"/> for diagnostics (verbose, debug): a message from a thread that
    /// no Run listens to (a callback an engine object kept beyond its command, such as a token
    /// source's log) has nowhere to go and is dropped.
    /// </summary>
    private void OnPipelineOrDrop(Action action)
    {
        if (OnPipelineThread)
        {
            action();
        }
        else
        {
            bridge.Queue?.Post(action);
        }
    }

    /// <summary>Asks a question on the pipeline thread; a worker waits for the answer (no, when the pipeline stops).</summary>
    private bool AskOnPipeline(Func<bool> question)
    {
        if (OnPipelineThread)
        {
            return question();
        }

        PipelineQueue current = bridge.Queue ?? throw new InvalidOperationException("Engine work asked a question outside Run; the pipeline thread is not listening.");
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        current.Post(() => answer.TrySetResult(question()), () => answer.TrySetResult(false));
        try
        {
            return answer.Task.Wait(Timeout.Infinite, bridge.StopToken) && answer.Task.Result;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public new void WriteObject(object? sendToPipeline) => OnPipeline(() => base.WriteObject(sendToPipeline));

    public new void WriteObject(object? sendToPipeline, bool enumerateCollection) => OnPipeline(() => base.WriteObject(sendToPipeline, enumerateCollection));

    public new void WriteError(ErrorRecord errorRecord) => OnPipeline(() => base.WriteError(errorRecord));

    public new void WriteWarning(string text) => OnPipeline(() => base.WriteWarning(text));

    public new void WriteVerbose(string text) => OnPipelineOrDrop(() => base.WriteVerbose(text));

    public new void WriteDebug(string text) => OnPipelineOrDrop(() => base.WriteDebug(text));

    public new void WriteInformation(object messageData, string[] tags) => OnPipeline(() => base.WriteInformation(messageData, tags));

    public new void WriteInformation(InformationRecord informationRecord) => OnPipeline(() => base.WriteInformation(informationRecord));

    /// <summary>Writes a progress record; records not completed by the cmdlet are completed when it ends.</summary>
    public new void WriteProgress(ProgressRecord progressRecord) => OnPipeline(() =>
    {
        if (progressRecord.RecordType == ProgressRecordType.Completed)
        {
            openProgress?.Remove(progressRecord.ActivityId);
        }
        else
        {
            (openProgress ??= new Dictionary<int, ProgressRecord>())[progressRecord.ActivityId] = progressRecord;
        }

        base.WriteProgress(progressRecord);
    });

    /// <summary>Stops the cmdlet with <paramref name="errorRecord"/>; from engine work the error travels to the pipeline thread and is raised there.</summary>
    [DoesNotReturn]
    public new void ThrowTerminatingError(ErrorRecord errorRecord)
    {
        if (!OnPipelineThread)
        {
            throw new PipelineBridge.TerminatingError(errorRecord);
        }

        base.ThrowTerminatingError(errorRecord);
        throw new UnreachableException("Cmdlet.ThrowTerminatingError returned.");
    }

    public new bool ShouldProcess(string target) => AskOnPipeline(() => base.ShouldProcess(target));

    public new bool ShouldProcess(string target, string action) => AskOnPipeline(() => base.ShouldProcess(target, action));

    public new bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
        AskOnPipeline(() => base.ShouldProcess(verboseDescription, verboseWarning, caption));

    public new bool ShouldContinue(string query, string caption) => AskOnPipeline(() => base.ShouldContinue(query, caption));

    /// <summary>-Force skips the confirmation prompt, never -WhatIf.</summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        if (force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfRequested())
        {
            return true;
        }

        return ShouldProcess(target, action);
    }

    /// <summary>Completes the progress records still open (the pipeline thread, at the end of the cmdlet).</summary>
    protected void CompleteProgress()
    {
        if (openProgress is not { Count: > 0 })
        {
            return;
        }

        foreach (ProgressRecord record in openProgress.Values.ToList())
        {
            WriteProgress(new ProgressRecord(record.ActivityId, record.Activity, "Done") { RecordType = ProgressRecordType.Completed, ParentActivityId = record.ParentActivityId });
        }
    }

    private bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter sw)
        {
            return sw.IsPresent;
        }

        object? preference = GetVariableValue("WhatIfPreference");
        return preference is bool b ? b : preference is SwitchParameter s && s.IsPresent;
    }

    // ---- Failures -----------------------------------------------------------------------------

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    protected void WriteFailure(Exception exception, object? target)
    {
        ErrorRecord? record = ErrorMap.For(exception, target);
        if (record is null)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        WriteError(record);
    }

    /// <summary>Stops the cmdlet with the error record for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    [DoesNotReturn]
    protected void ThrowFailure(Exception exception, object? target)
    {
        ErrorRecord? record = ErrorMap.For(exception, target);
        if (record is null)
        {
            ExceptionDispatchInfo.Capture(exception).Throw();
        }

        ThrowTerminatingError(record);
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
