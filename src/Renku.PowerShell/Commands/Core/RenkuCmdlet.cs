using System.Collections;
using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Environments;
using Renku.PowerShell.RenkuApi;

using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The one core every cmdlet of the module derives from. It owns the invocation's cancellation
/// (cancelled by Ctrl+C, Stop-Job, a pipeline timeout or SIGTERM), runs engine work on worker
/// threads with <see cref="Run{T}(Func{CancellationToken, Task{T}})"/> while the pipeline thread
/// carries out every Write*, progress record and ShouldProcess question the workers ask for, and
/// when the pipeline stops it waits (bounded) for the workers' cleanup before it returns. Failures
/// become error records through <see cref="ErrorMap"/>; an exception the map does not know is a
/// bug and surfaces as itself, with its stack. Shared parameters come from <see cref="ParameterGroup"/>s.
/// </summary>
public abstract class RenkuCmdlet : PSCmdlet, IDynamicParameters, IDisposable
{
    /// <summary>How long a stopped cmdlet waits for its workers to clean up before it returns anyway.</summary>
    internal static readonly TimeSpan CleanupWait = TimeSpan.FromSeconds(10);

    private readonly CancellationTokenSource stopping = new();
    private Dictionary<PropertyInfo, object?>? fromRecord;
    private HashSet<string>? givenOnCommandLine;
    private Dictionary<int, ProgressRecord>? openProgress;
    private RuntimeDefinedParameterDictionary? dynamicParameters;
    private IReadOnlyList<ParameterGroup>? groups;
    private ConnectionParameters? connectionGroup;
    private PipelineQueue? queue;
    private Task? running;
    private int pipelineThread;
    private RenkuApiClient? client;
    private Runspace? runspace;
    private bool disposed;

    protected RenkuCmdlet()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
    }

    /// <summary>
    /// How long this invocation waits for its workers' cleanup once stopped: <see cref="CleanupWait"/>.
    /// A stop returns within it whatever the work does; work that outlasts it goes on in the
    /// background until it ends.
    /// </summary>
    protected virtual TimeSpan CleanupBound => CleanupWait;

    /// <summary>Cancelled when the pipeline stops.</summary>
    protected CancellationToken CancellationToken => stopping.Token;

    /// <summary>
    /// What the invocation created outside this process and has not removed yet: engine work that
    /// creates containers, volumes or pods records them here, so a stop that outlasts the cleanup
    /// wait can name what is left.
    /// </summary>
    protected CleanupLedger Ledger { get; } = new();

    /// <summary>
    /// Whether a hashtable piped in (from Import-PowerShellDataFile, say) binds by key to the
    /// parameters that take pipeline input by property name, as a [pscustomobject] binds by
    /// property. PowerShell binds only objects' properties, never a hashtable's keys, so such a
    /// cmdlet implements <see cref="IHashtableInput"/>: its documented <c>-InputObject</c> takes
    /// the hashtable by value and the core binds its keys before each Process().
    /// </summary>
    private bool TakesHashtableInput => this is IHashtableInput;

    /// <summary>The groups of shared parameters this cmdlet takes (created once per invocation).</summary>
    protected virtual IEnumerable<ParameterGroup> CreateParameterGroups() => Array.Empty<ParameterGroup>();

    private IReadOnlyList<ParameterGroup> Groups => groups ??= CreateParameterGroups().ToList();

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
        if (TakesHashtableInput)
        {
            givenOnCommandLine = new HashSet<string>(MyInvocation.BoundParameters.Keys, StringComparer.OrdinalIgnoreCase);
        }
        ApplyParameterGroups();
        Begin();
    }

    protected sealed override void ProcessRecord()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        ApplyParameterGroups();
        if (ApplyHashtableRecord())
        {
            Process();
        }
    }

    protected sealed override void EndProcessing()
    {
        pipelineThread = Environment.CurrentManagedThreadId;
        End();
        CompleteProgress();
    }

    protected sealed override void StopProcessing() => Stop();

    public object? GetDynamicParameters()
    {
        if (Groups.Count == 0)
        {
            return null;
        }

        if (dynamicParameters is null)
        {
            dynamicParameters = new RuntimeDefinedParameterDictionary();
            foreach (ParameterGroup group in Groups)
            {
                group.Describe(dynamicParameters);
            }
        }

        return dynamicParameters;
    }

    /// <summary>
    /// Binds the keys of a hashtable piped in to this cmdlet's by-property-name parameters (names
    /// and aliases, any case), unless the command line gave them; undoes the previous record's.
    /// False (with an error written) when a value does not convert.
    /// </summary>
    private bool ApplyHashtableRecord()
    {
        if (fromRecord is not null)
        {
            foreach (var (property, previous) in fromRecord)
            {
                property.SetValue(this, previous);
                MyInvocation.BoundParameters.Remove(property.Name);
            }

            fromRecord.Clear();
        }

        if (this is not IHashtableInput input || input.InputObject is null)
        {
            return true;
        }

        IDictionary record = input.InputObject;
        input.InputObject = null;
        if (record.Count == 0)
        {
            return true;
        }

        foreach ((PropertyInfo property, string[] names) in PropertyNameParameters())
        {
            DictionaryEntry? entry = record.Cast<DictionaryEntry>().Cast<DictionaryEntry?>()
                .FirstOrDefault(e => names.Any(n => string.Equals(n, e!.Value.Key?.ToString(), StringComparison.OrdinalIgnoreCase)));
            if (entry is null || givenOnCommandLine!.Contains(property.Name))
            {
                continue;
            }

            object? converted;
            try
            {
                converted = LanguagePrimitives.ConvertTo(entry.Value.Value, property.PropertyType, CultureInfo.InvariantCulture);
            }
            catch (PSInvalidCastException ex)
            {
                WriteError(ErrorMap.Record(ex, ErrorIds.InvalidPipelineInput, record, $"The piped hashtable's '{entry.Value.Key}' ({entry.Value.Value}) cannot be -{property.Name}: {ex.Message}", "Correct the value; nothing was done for this input."));
                return false;
            }

            fromRecord ??= new Dictionary<PropertyInfo, object?>();
            fromRecord[property] = property.GetValue(this);
            property.SetValue(this, converted);
            MyInvocation.BoundParameters[property.Name] = converted;
        }

        return true;
    }

    /// <summary>This cmdlet's parameters that take pipeline input by property name in the current parameter set, with their names and aliases.</summary>
    private IEnumerable<(PropertyInfo Property, string[] Names)> PropertyNameParameters()
    {
        foreach (PropertyInfo property in GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            bool byName = property.GetCustomAttributes<ParameterAttribute>().Any(a => a.ValueFromPipelineByPropertyName
                && (a.ParameterSetName == ParameterAttribute.AllParameterSets || a.ParameterSetName == ParameterSetName));
            if (byName)
            {
                string[] aliases = property.GetCustomAttributes<AliasAttribute>().SelectMany(a => a.AliasNames).ToArray();
                yield return (property, aliases.Prepend(property.Name).ToArray());
            }
        }
    }

    public void Dispose()
    {
        if (!disposed)
        {
            disposed = true;
            if (running is { IsCompleted: false } work)
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
        queue?.Dispose();
        stopping.Dispose();
    }

    /// <summary>Releases what the cmdlet holds (inspectors, clients).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>The group of type <typeparamref name="T"/> this cmdlet declared.</summary>
    protected T Group<T>()
        where T : ParameterGroup => Groups.OfType<T>().Single();

    private void ApplyParameterGroups()
    {
        if (dynamicParameters is not null)
        {
            foreach (ParameterGroup group in Groups)
            {
                group.Apply(dynamicParameters);
            }
        }
    }

    // ---- Running engine work ------------------------------------------------------------------

    /// <summary>
    /// Runs <paramref name="work"/> on a worker thread and carries out, on this (the pipeline)
    /// thread, what it asks for through the Write*/ShouldProcess methods of this class. Returns its
    /// result or rethrows its exception. When the pipeline stops (StopProcessing, or a Write* that
    /// throws because a downstream command stopped it) the work is cancelled and awaited for up to
    /// <see cref="CleanupBound"/>, so that what it created is removed before the cmdlet returns;
    /// work still running then goes on in the background and the cmdlet returns anyway, warning
    /// what is left.
    /// </summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        if (queue is not null)
        {
            throw new InvalidOperationException("Run is not reentrant: start one piece of engine work at a time.");
        }

        using var runQueue = new PipelineQueue();
        queue = runQueue;
        Task<T> task;
        using (TerminationSignal.Register(this))
        {
            try
            {
                task = Task.Run(() => work(stopping.Token), CancellationToken.None);
                running = task;
                _ = task.ContinueWith(_ => runQueue.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                Pump(runQueue, task);
            }
            finally
            {
                queue = null;
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
            base.ThrowTerminatingError(terminating.Record);
        }

        return task.GetAwaiter().GetResult();
    }

    /// <inheritdoc cref="Run{T}(Func{CancellationToken, Task{T}})"/>
    protected void Run(Func<CancellationToken, Task> work) => Run<bool>(async token =>
    {
        await work(token).ConfigureAwait(false);
        return true;
    });

    private void Pump(PipelineQueue runQueue, Task task)
    {
        DateTime? giveUpAt = null;
        while (true)
        {
            if (stopping.IsCancellationRequested)
            {
                // Nothing may be written any more; wait for the cleanup, then return.
                runQueue.Drain();
                giveUpAt ??= DateTime.UtcNow + CleanupBound;
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
    private void Stop()
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

    /// <summary>Waits up to <see cref="CleanupBound"/> for the work to finish its cleanup; warns when it does not.</summary>
    private void AwaitCleanup(Task task)
    {
        if (!WaitQuietly(task, CleanupBound))
        {
            WarnLeftovers();
        }
    }

    /// <summary>
    /// Leaves unfinished work to end in the background: its failure, if any, is observed (nobody
    /// will read it), and what it uses stays undisposed until it ends (see <see cref="Dispose()"/>).
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
            WaitQuietly(task, CleanupBound);
        }
    }

    /// <summary>
    /// The cleanup did not finish in time: say what is left, straight to the host (the pipeline is
    /// stopping and refuses warnings).
    /// </summary>
    private void WarnLeftovers()
    {
        IReadOnlyList<string> left = Ledger.Outstanding;
        string message = left.Count == 0
            ? $"{MyInvocation.MyCommand.Name} was stopped and its cleanup did not finish within {CleanupBound.TotalSeconds:0.#} s; it goes on in the background."
            : $"{MyInvocation.MyCommand.Name} was stopped and could not remove within {CleanupBound.TotalSeconds:0.#} s: {string.Join("; ", left)}. The cleanup goes on in the background while this session lasts; remove what is still there by hand.";
        try
        {
            Host.UI.WriteWarningLine(message);
        }
        catch (Exception ex) when (ex is PipelineStoppedException or InvalidOperationException or NotImplementedException or IOException)
        {
            Console.Error.WriteLine("WARNING: " + message);
        }
    }

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

        PipelineQueue? current = queue;
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
            queue?.Post(action);
        }
    }

    /// <summary>Asks a question on the pipeline thread; a worker waits for the answer (no, when the pipeline stops).</summary>
    private bool AskOnPipeline(Func<bool> question)
    {
        if (OnPipelineThread)
        {
            return question();
        }

        PipelineQueue current = queue ?? throw new InvalidOperationException("Engine work asked a question outside Run; the pipeline thread is not listening.");
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        current.Post(() => answer.TrySetResult(question()), () => answer.TrySetResult(false));
        try
        {
            return answer.Task.Wait(Timeout.Infinite, stopping.Token) && answer.Task.Result;
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
            throw new TerminatingError(errorRecord);
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

    // ---- Renku connection ---------------------------------------------------------------------

    /// <summary>The -Connection parameter, for cmdlets that talk to Renku (add it to their groups).</summary>
    protected ConnectionParameters ConnectionGroup() => connectionGroup ??= new ConnectionParameters();

    /// <summary>The API client for the connection in use (-Connection, else the current one).</summary>
    protected RenkuApiClient Client => client ??= new RenkuApiClient(RequireConnection(), message => WriteDebug(message));

    /// <summary>The connection in use (-Connection, else the current one), or null when there is none.</summary>
    protected RenkuConnection? CurrentConnection() => connectionGroup?.Connection ?? ConnectionStore.For(runspace ?? Runspace.DefaultRunspace);

    protected RenkuConnection RequireConnection()
    {
        RenkuConnection? connection = CurrentConnection();
        if (connection is null || !connection.IsOpen)
        {
            ThrowTerminatingError(ErrorMap.NotConnected());
        }

        return connection;
    }

    /// <summary>Admin-only cmdlets refuse before sending anything when the user is not a Renku admin.</summary>
    protected void RequireAdmin() => RequireAdmin(RequireConnection().IsAdmin);

    /// <summary>Refuses with RenkuAdminRequired unless <paramref name="isAdmin"/> (e.g. a fresh answer of GET /user).</summary>
    protected void RequireAdmin(bool isAdmin)
    {
        RenkuConnection connection = RequireConnection();
        if (!isAdmin)
        {
            ThrowTerminatingError(ErrorMap.AdminRequired(MyInvocation.MyCommand.Name, connection));
        }
    }

    /// <summary>
    /// Asks GET /user that the token still belongs to an admin. Needed before trusting a listing:
    /// an expired token reads as anonymous and would silently see fewer launchers.
    /// </summary>
    protected void ConfirmStillAdmin() => RequireAdmin(Run(ct => Client.GetUserAsync(ct)).IsAdmin);

    /// <summary>A terminating error raised on a worker thread, carried to the pipeline thread by <see cref="Run{T}"/>.</summary>
    private sealed class TerminatingError : Exception
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

        private TerminationSignal(RenkuCmdlet cmdlet)
        {
            try
            {
                registration = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => cmdlet.StopForTermination());
            }
            catch (Exception ex) when (ex is PlatformNotSupportedException or IOException or UnauthorizedAccessException)
            {
                registration = null;
            }
        }

        internal static TerminationSignal Register(RenkuCmdlet cmdlet) => new(cmdlet);

        public void Dispose() => registration?.Dispose();
    }
}
