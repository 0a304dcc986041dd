using System.Diagnostics.CodeAnalysis;
using System.Management.Automation;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// What engine work run by <see cref="RenkuCmdlet"/> holds to reach the pipeline: the only way a
/// worker writes objects, errors, warnings, verbose, debug and information records or progress,
/// asks ShouldProcess, or ends the cmdlet with an error. Every call is posted to the
/// <see cref="PipelineQueue"/> that the <see cref="PipelineBridge"/> pumps on the pipeline thread;
/// a question waits for its answer. Once the pipeline stops (or the run is over) writes are
/// dropped and questions are answered no.
/// </summary>
public sealed class PipelineWriter
{
    private readonly RenkuCmdlet cmdlet;
    private readonly PipelineQueue queue;
    private readonly CancellationToken stopToken;

    internal PipelineWriter(RenkuCmdlet cmdlet, PipelineQueue queue, CancellationToken stopToken)
    {
        this.cmdlet = cmdlet;
        this.queue = queue;
        this.stopToken = stopToken;
    }

    public void WriteObject(object? sendToPipeline) => queue.Post(() => cmdlet.WriteObject(sendToPipeline));

    public void WriteObject(object? sendToPipeline, bool enumerateCollection) => queue.Post(() => cmdlet.WriteObject(sendToPipeline, enumerateCollection));

    public void WriteError(ErrorRecord errorRecord) => queue.Post(() => cmdlet.WriteError(errorRecord));

    public void WriteWarning(string text) => queue.Post(() => cmdlet.WriteWarning(text));

    public void WriteVerbose(string text) => queue.Post(() => cmdlet.WriteVerbose(text));

    public void WriteDebug(string text) => queue.Post(() => cmdlet.WriteDebug(text));

    public void WriteInformation(object messageData, string[] tags) => queue.Post(() => cmdlet.WriteInformation(messageData, tags));

    public void WriteInformation(InformationRecord informationRecord) => queue.Post(() => cmdlet.WriteInformation(informationRecord));

    /// <summary>Writes a progress record; records the work leaves open are completed when the cmdlet ends.</summary>
    public void WriteProgress(ProgressRecord progressRecord) => queue.Post(() => cmdlet.WriteTrackedProgress(progressRecord));

    /// <summary>Stops the cmdlet with <paramref name="errorRecord"/>: the work ends here, and the error is raised on the pipeline thread.</summary>
    [DoesNotReturn]
    public void ThrowTerminatingError(ErrorRecord errorRecord) => throw new PipelineBridge.TerminatingError(errorRecord);

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    public void WriteFailure(Exception exception, object? target) => WriteError(cmdlet.FailureRecord(exception, target));

    /// <summary>Stops the cmdlet with the error record for <paramref name="exception"/>; one the error map does not know is rethrown as the bug it is.</summary>
    [DoesNotReturn]
    public void ThrowFailure(Exception exception, object? target) => ThrowTerminatingError(cmdlet.FailureRecord(exception, target));

    public bool ShouldProcess(string target) => Ask(() => cmdlet.ShouldProcess(target));

    public bool ShouldProcess(string target, string action) => Ask(() => cmdlet.ShouldProcess(target, action));

    public bool ShouldProcess(string verboseDescription, string verboseWarning, string caption) =>
        Ask(() => cmdlet.ShouldProcess(verboseDescription, verboseWarning, caption));

    /// <summary>As ShouldProcess, but -Force skips the confirmation prompt (never -WhatIf, nor an explicit -Confirm).</summary>
    public bool ShouldProcessUnlessForced(bool force, string target, string action) =>
        Ask(() => (force && !cmdlet.MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfRequested()) || cmdlet.ShouldProcess(target, action));

    private bool WhatIfRequested()
    {
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter sw)
        {
            return sw.IsPresent;
        }

        object? preference = cmdlet.GetVariableValue("WhatIfPreference");
        return preference is bool b ? b : preference is SwitchParameter s && s.IsPresent;
    }

    /// <summary>Asks a question on the pipeline thread and waits for the answer (no, when the pipeline stops).</summary>
    private bool Ask(Func<bool> question)
    {
        var answer = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        queue.Post(() => answer.TrySetResult(question()), () => answer.TrySetResult(false));
        try
        {
            return answer.Task.Wait(Timeout.Infinite, stopToken) && answer.Task.Result;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            // The invocation is over.
            return false;
        }
    }
}
