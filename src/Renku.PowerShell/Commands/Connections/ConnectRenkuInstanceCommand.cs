using System.Management.Automation;
using System.Security;

using Renku.PowerShell.Auth;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Commands.Internal;

namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// <para type="synopsis">Connects to a Renku deployment and makes the connection current.</para>
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "RenkuInstance", DefaultParameterSetName = AccessTokenSet)]
[OutputType(typeof(RenkuConnection))]
public sealed class ConnectRenkuInstanceCommand : RenkuCmdlet
{
    private const string AccessTokenSet = "AccessToken";
    private const string DeviceCodeSet = "DeviceCode";
    private const string ClientCredentialSet = "ClientCredential";
    private const string ConnectionSet = "Connection";

    /// <summary>The variable the official Renku CLI conventions suggest for handing a token to scripts.</summary>
    private const string AccessTokenVariable = "RENKU_ACCESS_TOKEN";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AccessTokenSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = DeviceCodeSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClientCredentialSet)]
    public Uri Uri { get; set; } = null!;

    /// <summary>An existing connection to check again and make current (to switch between deployments).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ConnectionSet, ValueFromPipeline = true)]
    public RenkuConnection Connection { get; set; } = null!;

    [Parameter(ParameterSetName = AccessTokenSet)]
    public SecureString? AccessToken { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = DeviceCodeSet)]
    public SwitchParameter DeviceCode { get; set; }

    [Parameter(ParameterSetName = DeviceCodeSet)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = RenkuConnector.DefaultClientId;

    [Parameter(Mandatory = true, ParameterSetName = ClientCredentialSet)]
    [Credential]
    public PSCredential ClientCredential { get; set; } = null!;

    [Parameter(ParameterSetName = DeviceCodeSet)]
    [Parameter(ParameterSetName = ClientCredentialSet)]
    public Uri? AuthorityUri { get; set; }

    protected override void End()
    {
        if (ParameterSetName == ConnectionSet)
        {
            Reselect();
            return;
        }

        if (!Uri.IsAbsoluteUri || (Uri.Scheme != Uri.UriSchemeHttps && Uri.Scheme != Uri.UriSchemeHttp))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{Uri}' is not an http(s) URL."), ErrorIds.InvalidRenkuUri, ErrorCategory.InvalidArgument, Uri)
            {
                ErrorDetails = new ErrorDetails($"-Uri '{Uri}' is not an http(s) URL.") { RecommendedAction = "Give the Renku deployment, e.g. https://renku.example.org." },
            });
        }

        if (Uri.Scheme == Uri.UriSchemeHttp && !Uri.IsLoopback)
        {
            WriteWarning($"{Uri} is plain http: the token travels unencrypted. Use https outside of tests.");
        }

        RenkuConnection connection;
        try
        {
            connection = ParameterSetName switch
            {
                DeviceCodeSet => ConnectWithDeviceCode(),
                ClientCredentialSet => Run(ct => RenkuConnector.ConnectWithClientCredentialAsync(Uri, AuthorityUri, ClientCredential.UserName, ClientCredential.Password, Debug, ct)),
                _ => Run(ct => RenkuConnector.ConnectWithAccessTokenAsync(Uri, TokenFromParameterOrEnvironment(), Debug, ct)),
            };
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Uri);
            return;
        }

        WriteVerbose($"Connected to {connection.Uri} as {connection.UserName} ({connection.AuthenticationMethod}); data service {connection.DataServiceVersion}.");
        if (!connection.IsAdmin)
        {
            WriteWarning($"{connection.UserName} is not a Renku admin: reading works, but creating, changing and removing global environments will be refused.");
        }

        RenkuConnection? previous = ConnectionStore.Current;
        ConnectionStore.Current = connection;
        if (previous is not null && !ReferenceEquals(previous, connection))
        {
            WriteVerbose($"Replaced the previous connection to {previous.Uri} as the current one.");
        }

        WriteObject(connection);
    }

    private void Reselect()
    {
        if (!Connection.IsOpen)
        {
            ThrowTerminatingError(ErrorMap.Record(new InvalidOperationException("The connection was closed."), ErrorIds.RenkuNotConnected, ErrorCategory.ConnectionError, Connection, $"The connection to {Connection.Uri} was closed with Disconnect-RenkuInstance.", "Connect again with -Uri."));
        }

        try
        {
            Run(ct => RenkuConnector.VerifyAsync(Connection, Debug, ct));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Connection);
            return;
        }

        ConnectionStore.Current = Connection;
        WriteVerbose($"{Connection} is the current connection again.");
        WriteObject(Connection);
    }

    private SecureString TokenFromParameterOrEnvironment()
    {
        if (AccessToken is not null && AccessToken.Length > 0)
        {
            return AccessToken;
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(AccessTokenVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            WriteVerbose($"Using the access token from ${AccessTokenVariable}.");
            var secure = new SecureString();
            foreach (char c in fromEnvironment.Trim())
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        ThrowTerminatingError(new ErrorRecord(new ArgumentException("No credential was given."), ErrorIds.RenkuCredentialRequired, ErrorCategory.InvalidArgument, Uri)
        {
            ErrorDetails = new ErrorDetails("No credential was given and $env:" + AccessTokenVariable + " is not set.")
            {
                RecommendedAction = "Use -DeviceCode to sign in interactively, -ClientCredential for a service account, or -AccessToken.",
            },
        });
        return null!;
    }

    private RenkuConnection ConnectWithDeviceCode()
    {
        DeviceAuthorization authorization = Run(ct => RenkuConnector.StartDeviceCodeAsync(Uri, AuthorityUri, ClientId, Debug, ct));
        string where = authorization.VerificationUriComplete?.ToString() ?? authorization.VerificationUri.ToString();
        string message = $"To sign in to {Uri}, open {authorization.VerificationUri} and enter the code {authorization.UserCode}" +
            (authorization.VerificationUriComplete is null ? "." : $" (or open {where} directly).") +
            $" The code is valid for {Math.Ceiling(authorization.ExpiresIn.TotalMinutes)} minutes.";
        WriteInformation(message, new[] { "PSHOST", "RenkuDeviceCode" });
        WriteVerbose($"Waiting for the code {authorization.UserCode} to be approved (polling every {authorization.Interval.TotalSeconds:0.#} s).");
        return Run(ct => RenkuConnector.CompleteDeviceCodeAsync(authorization, Debug, ct));
    }

    private void Debug(string message) => WriteDebug(message);
}
