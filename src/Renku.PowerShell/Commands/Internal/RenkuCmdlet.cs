using System.Collections.Concurrent;
using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>
/// What every cmdlet that talks to Renku shares: -Connection, one cancellation source per
/// invocation, engine messages queued and written on the pipeline thread, and the mapping of
/// API errors to error records with stable ids.
/// </summary>
public abstract class RenkuCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource cancellation = new();
    private readonly ConcurrentQueue<string> messages = new();
    private RenkuApiClient? client;

    /// <summary>The connection to use instead of the current one (from Connect-RenkuInstance).</summary>
    [Parameter]
    public RenkuConnection? Connection { get; set; }

    protected CancellationToken CancellationToken => cancellation.Token;

    /// <summary>Engine messages are queued here from any thread and written by <see cref="DrainMessages"/>.</summary>
    protected Action<string> Log => messages.Enqueue;

    protected RenkuApiClient Client => client ??= new RenkuApiClient(RequireConnection(), Log);

    public void Dispose()
    {
        cancellation.Dispose();
        GC.SuppressFinalize(this);
    }

    protected override void StopProcessing() => cancellation.Cancel();

    protected RenkuConnection RequireConnection()
    {
        RenkuConnection? connection = Connection ?? ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException("There is no connection to Renku."),
                ErrorIds.RenkuNotConnected,
                ErrorCategory.ConnectionError,
                null)
            {
                ErrorDetails = new ErrorDetails("There is no connection to Renku.") { RecommendedAction = "Run Connect-RenkuInstance -Uri https://<your Renku> first, or pass -Connection." },
            });
        }

        return connection!;
    }

    /// <summary>Admin-only cmdlets refuse before sending anything when the user is not a Renku admin.</summary>
    protected void RequireAdmin() => RequireAdmin(RequireConnection().IsAdmin);

    /// <summary>Refuses with RenkuAdminRequired unless <paramref name="isAdmin"/> (e.g. a fresh answer of GET /user).</summary>
    protected void RequireAdmin(bool isAdmin)
    {
        RenkuConnection connection = RequireConnection();
        if (!isAdmin)
        {
            string message = $"{MyInvocation.MyCommand.Name} needs a Renku admin, and {connection.UserName} on {connection.Uri} is not one (no 'renku-admin' realm role).";
            ThrowTerminatingError(new ErrorRecord(new UnauthorizedAccessException(message), ErrorIds.RenkuAdminRequired, ErrorCategory.PermissionDenied, connection)
            {
                ErrorDetails = new ErrorDetails(message) { RecommendedAction = "Connect as a user (or a client whose service account) holds the renku-admin role." },
            });
        }
    }

    /// <summary>
    /// Asks GET /user that the token still belongs to an admin. Needed before trusting a listing:
    /// an expired token reads as anonymous and would silently see fewer launchers.
    /// </summary>
    protected void ConfirmStillAdmin() => RequireAdmin(Run(ct => Client.GetUserAsync(ct)).IsAdmin);

    /// <summary>Runs engine work on the pipeline thread, then writes what it logged.</summary>
    protected T Run<T>(Func<CancellationToken, Task<T>> work)
    {
        try
        {
            return work(CancellationToken).GetAwaiter().GetResult();
        }
        finally
        {
            DrainMessages();
        }
    }

    protected void Run(Func<CancellationToken, Task> work) => Run<bool>(async ct =>
    {
        await work(ct).ConfigureAwait(false);
        return true;
    });

    protected void DrainMessages()
    {
        while (messages.TryDequeue(out string? message))
        {
            WriteDebug(message);
        }
    }

    /// <summary>-Force skips the confirmation prompt, never -WhatIf.</summary>
    protected bool ShouldProcessUnlessForced(bool force, string target, string action)
    {
        if (force && !MyInvocation.BoundParameters.ContainsKey("Confirm") && !WhatIfRequested())
        {
            return true;
        }

        return ShouldProcess(target, action);
    }

    /// <summary>The error record for a failure of an engine call, or null when the exception is not one we expect.</summary>
    protected ErrorRecord? ErrorFor(Exception exception, object? target) => RenkuErrors.For(exception, target, CancellationToken.IsCancellationRequested);

    /// <summary>Writes a non-terminating error for <paramref name="exception"/>, or rethrows one we do not expect.</summary>
    protected void WriteFailure(Exception exception, object? target)
    {
        ErrorRecord record = ErrorFor(exception, target) ?? throw new InvalidOperationException(exception.Message, exception);
        WriteError(record);
    }

    /// <summary>Writes one error per invalid value; true when there were none.</summary>
    protected bool WriteValidationErrors(IEnumerable<EnvironmentValidationProblem> problems, object? target)
    {
        bool valid = true;
        foreach (EnvironmentValidationProblem problem in problems)
        {
            valid = false;
            WriteError(ValidationError(problem, target));
        }

        return valid;
    }

    protected static ErrorRecord ValidationError(EnvironmentValidationProblem problem, object? target) =>
        new(new ArgumentException(problem.Message, problem.Parameter), problem.ErrorId, ErrorCategory.InvalidArgument, target ?? problem.Value)
        {
            ErrorDetails = new ErrorDetails(problem.Message) { RecommendedAction = "Nothing was sent to Renku. Correct the value and run the command again." },
        };

    protected ErrorRecord InvalidIdError(string id, string errorId = ErrorIds.InvalidEnvironmentId) =>
        new(new ArgumentException($"'{id}' is not a Renku id: ids are 26-character ULIDs such as 01HZ5Q3K8M0000000000000000."), errorId, ErrorCategory.InvalidArgument, id)
        {
            ErrorDetails = new ErrorDetails($"'{id}' is not a Renku id (a 26-character ULID).") { RecommendedAction = errorId == ErrorIds.InvalidProjectId ? "Copy the project id from a launcher's ProjectId (Get-RenkuSessionLauncher)." : $"Copy the Id from Get-RenkuGlobalEnvironment, or select by name and pipe: Get-RenkuGlobalEnvironment -Name <name> | {MyInvocation.MyCommand.Name}." },
        };

    protected ErrorRecord NotFoundError(string id) =>
        new(new ItemNotFoundException($"There is no global environment with the id {id}."), ErrorIds.EnvironmentNotFound, ErrorCategory.ObjectNotFound, id)
        {
            ErrorDetails = new ErrorDetails($"There is no global environment with the id {id}.") { RecommendedAction = "List the environments with Get-RenkuGlobalEnvironment -IncludeArchived." },
        };

    private bool WhatIfRequested()
    {
        if (MyInvocation.BoundParameters.TryGetValue("WhatIf", out object? value) && value is SwitchParameter sw)
        {
            return sw.IsPresent;
        }

        object? preference = GetVariableValue("WhatIfPreference");
        return preference is bool b ? b : preference is SwitchParameter s && s.IsPresent;
    }
}
