using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Commands.Core;

/// <summary>
/// The base of the cmdlets that talk to Renku: the connection they use (-Connection, else the
/// current one), the API client for it, and the admin checks that refuse before anything is sent.
/// </summary>
public abstract class RenkuApiCmdlet : RenkuCmdlet
{
    private RenkuApiClient? client;

    /// <summary>
    /// The connection to use instead of the current one (from Connect-RenkuInstance). A null is
    /// refused rather than read as "the current one": a script that means no connection must not
    /// quietly use the session's.
    /// </summary>
    [Parameter]
    [ValidateNotNull]
    public RenkuConnection? Connection { get; set; }

    /// <summary>
    /// The API client for the connection in use (-Connection, else the current one). Its debug log
    /// goes to the engine work running at the time, and is dropped when none runs.
    /// </summary>
    protected RenkuApiClient Client => client ??= new RenkuApiClient(RequireConnection(), message => CurrentWriter?.WriteDebug(message));

    /// <summary>The connection in use (-Connection, else the current one), or null when there is none.</summary>
    protected RenkuConnection? CurrentConnection() => Connection ?? ConnectionStore.For(InvocationRunspace ?? Runspace.DefaultRunspace);

    protected RenkuConnection RequireConnection()
    {
        RenkuConnection? connection = CurrentConnection();
        if (connection is null || !connection.IsOpen)
        {
            Refuse(ErrorMap.NotConnected());
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
            Refuse(ErrorMap.AdminRequired(MyInvocation.MyCommand.Name, connection));
        }
    }

    /// <summary>
    /// Asks GET /user that the token still belongs to an admin. Needed before trusting a listing:
    /// an expired token reads as anonymous and would silently see fewer launchers.
    /// </summary>
    protected void ConfirmStillAdmin() => RequireAdmin(Run((_, ct) => Client.GetUserAsync(ct)).IsAdmin);
}
