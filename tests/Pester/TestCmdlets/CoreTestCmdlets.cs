// Test-only cmdlets on the module's cmdlet core (RenkuCmdlet, PipelineBridge, PipelineWriter,
// HashtableRecordBinder), compiled by tests/Pester/CmdletCore.Tests.ps1 with Add-Type. Each does one
// small thing from a worker through the writer, so the core is tested without Docker, a registry or
// Renku. Never shipped with the module.
using System;
using System.Collections;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.TestCmdlets;

/// <summary>Writes to every stream from a worker, through the writer.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "CoreWrite")]
[OutputType(typeof(int))]
public sealed class InvokeCoreWriteCommand : RenkuCmdlet
{
    /// <summary>How many objects the work writes (1..Count).</summary>
    [Parameter]
    public int Count { get; set; } = 3;

    /// <summary>A pause between two objects.</summary>
    [Parameter]
    public int DelayMilliseconds { get; set; }

    /// <summary>Leaves its progress record open (the core completes it when the cmdlet ends).</summary>
    [Parameter]
    public SwitchParameter LeaveProgressOpen { get; set; }

    /// <summary>A file the work's cleanup writes when the work is cancelled (a stop, a downstream Select-Object -First).</summary>
    [Parameter]
    public string? CleanupFile { get; set; }

    protected override void End()
    {
        int pipelineThread = Environment.CurrentManagedThreadId;
        Run(async (writer, token) =>
        {
            try
            {
                writer.WriteVerbose($"verbose from a worker: {Environment.CurrentManagedThreadId != pipelineThread}");
                writer.WriteDebug("debug from a worker");
                writer.WriteWarning("warning from a worker");
                writer.WriteInformation("information from a worker", new[] { "CoreTest" });
                writer.WriteError(new ErrorRecord(new InvalidOperationException("error from a worker"), "CoreTestError", ErrorCategory.InvalidOperation, null));
                for (int i = 1; i <= Count; i++)
                {
                    writer.WriteProgress(new ProgressRecord(0x434f, "Core test", $"{i} of {Count}") { PercentComplete = i * 100 / Count });
                    writer.WriteObject(i);
                    if (DelayMilliseconds > 0)
                    {
                        await Task.Delay(DelayMilliseconds, token).ConfigureAwait(false);
                    }
                }

                if (!LeaveProgressOpen)
                {
                    writer.WriteProgress(new ProgressRecord(0x434f, "Core test", "Done") { RecordType = ProgressRecordType.Completed });
                }
            }
            catch (OperationCanceledException) when (CleanupFile is not null)
            {
                // Cleanup takes a moment; the core waits for it before the cmdlet returns.
                await Task.Delay(300, CancellationToken.None).ConfigureAwait(false);
                File.WriteAllText(CleanupFile, "cleaned up");
                throw;
            }
        });
    }
}

/// <summary>Asks ShouldProcess from a worker for each target, and writes the targets it may process.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "CoreShouldProcess", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(string))]
public sealed class InvokeCoreShouldProcessCommand : RenkuCmdlet
{
    [Parameter(Mandatory = true, Position = 0)]
    public string[] Target { get; set; } = Array.Empty<string>();

    /// <summary>Asks with ShouldProcessUnlessForced: -Force skips the prompt, never -WhatIf or an explicit -Confirm.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    protected override void End()
    {
        Run(async (writer, token) =>
        {
            foreach (string target in Target)
            {
                bool yes = Force.IsPresent
                    ? writer.ShouldProcessUnlessForced(force: true, target, "Touch")
                    : writer.ShouldProcess(target, "Touch");
                if (yes)
                {
                    writer.WriteObject(target);
                }
            }

            await Task.CompletedTask.ConfigureAwait(false);
        });
    }
}

/// <summary>Fails from a worker: a non-terminating error, then (with -Terminate) a terminating one.</summary>
[Cmdlet(VerbsLifecycle.Invoke, "CoreFailure")]
[OutputType(typeof(string))]
public sealed class InvokeCoreFailureCommand : RenkuCmdlet
{
    [Parameter]
    public SwitchParameter Terminate { get; set; }

    protected override void End()
    {
        string result = Run<string>(async (writer, token) =>
        {
            writer.WriteError(new ErrorRecord(new InvalidOperationException("first"), "CoreTestNonTerminating", ErrorCategory.InvalidData, "first"));
            writer.WriteObject("after the error");
            await Task.Yield();
            if (Terminate)
            {
                writer.ThrowTerminatingError(new ErrorRecord(new InvalidOperationException("the work gave up"), "CoreTestTerminating", ErrorCategory.InvalidResult, "second"));
            }

            return "returned";
        });
        WriteObject(result);
    }
}

/// <summary>
/// Writes until stopped, then goes on writing and asking (deaf to the stop) for a while: what it
/// writes after the stop must never reach the pipeline, and what it asks is answered no.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "CoreAfterStop", SupportsShouldProcess = true)]
[OutputType(typeof(int))]
public sealed class InvokeCoreAfterStopCommand : RenkuCmdlet
{
    [Parameter(Mandatory = true)]
    public string StartedFile { get; set; } = string.Empty;

    /// <summary>What the work saw after the stop: how many writes it made and the answer to ShouldProcess.</summary>
    [Parameter(Mandatory = true)]
    public string ReportFile { get; set; } = string.Empty;

    protected override TimeSpan CleanupBound => TimeSpan.FromSeconds(5);

    protected override void End()
    {
        Run(async (writer, token) =>
        {
            int i = 0;
            while (!token.IsCancellationRequested && i < 100_000)
            {
                writer.WriteObject(++i);
                if (i == 5)
                {
                    File.WriteAllText(StartedFile, "started");
                }

                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }

            // Stopped: keep writing for a moment, as work that misses its token would.
            for (int after = 0; after < 20; after++)
            {
                writer.WriteObject(-1);
                writer.WriteWarning("written after the stop");
                await Task.Delay(10, CancellationToken.None).ConfigureAwait(false);
            }

            bool answer = writer.ShouldProcess("after the stop", "Touch");
            File.WriteAllText(ReportFile, answer.ToString(CultureInfo.InvariantCulture));
        });
    }
}

/// <summary>
/// Does nothing but wait for the stop, then cleans up: the cleanup removes the ledger entry and
/// writes <see cref="CleanupFile"/>. For SIGTERM: a CI runner's stop must run the same cleanup.
/// </summary>
[Cmdlet(VerbsLifecycle.Invoke, "CoreCleanup")]
public sealed class InvokeCoreCleanupCommand : RenkuCmdlet
{
    [Parameter(Mandatory = true)]
    public string StartedFile { get; set; } = string.Empty;

    [Parameter(Mandatory = true)]
    public string CleanupFile { get; set; } = string.Empty;

    protected override void End()
    {
        Run(async (writer, token) =>
        {
            using IDisposable entry = Ledger.Track("container renku-core-test");
            File.WriteAllText(StartedFile, "started");
            try
            {
                await Task.Delay(TimeSpan.FromMinutes(2), token).ConfigureAwait(false);
            }
            finally
            {
                await Task.Delay(500, CancellationToken.None).ConfigureAwait(false);
                File.WriteAllText(CleanupFile, "cleaned up");
            }
        });
    }
}

/// <summary>Takes a piped hashtable through -InputObject: the record binder binds its keys.</summary>
[Cmdlet(VerbsDiagnostic.Test, "CoreRecord")]
[OutputType(typeof(string))]
public sealed class TestCoreRecordCommand : RenkuCmdlet, IHashtableInput
{
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("container_name")]
    public string Name { get; set; } = "(none)";

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int Size { get; set; } = -1;

    protected override void Process() => WriteObject($"{Name}:{Size}");
}
