using System.Management.Automation;
using System.Security;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Http;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Connections;

/// <summary>
/// Connects to a Renku deployment and makes the connection current.
/// </summary>
[Cmdlet(VerbsCommunications.Connect, "RenkuInstance", DefaultParameterSetName = ParameterSets.AccessToken)]
[OutputType(typeof(RenkuConnection))]
public sealed class ConnectRenkuInstanceCommand : RenkuCmdlet
{
    /// <summary>The variable the official Renku CLI conventions suggest for handing a token to scripts.</summary>
    private const string AccessTokenVariable = "RENKU_ACCESS_TOKEN";

    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.AccessToken)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.DeviceCode)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ParameterSets.ClientCredential)]
    public Uri Uri { get; set; } = null!;

    /// <summary>An existing connection to check again and make current (to switch between deployments).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Connection, ValueFromPipeline = true)]
    public RenkuConnection Connection { get; set; } = null!;

    [Parameter(ParameterSetName = ParameterSets.AccessToken)]
    public SecureString? AccessToken { get; set; }

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.DeviceCode)]
    public SwitchParameter DeviceCode { get; set; }

    [Parameter(ParameterSetName = ParameterSets.DeviceCode)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = RenkuConnector.DefaultClientId;

    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.ClientCredential)]
    [Credential]
    public PSCredential ClientCredential { get; set; } = null!;

    [Parameter(ParameterSetName = ParameterSets.DeviceCode)]
    [Parameter(ParameterSetName = ParameterSets.ClientCredential)]
    public Uri? AuthorityUri { get; set; }

    /// <summary>Hosts besides the authority's own that the identity provider may name for its token and device endpoints.</summary>
    [Parameter(ParameterSetName = ParameterSets.DeviceCode)]
    [Parameter(ParameterSetName = ParameterSets.ClientCredential)]
    [ValidateNotNullOrEmpty]
    public string[] TrustedAuthorityHost { get; set; } = Array.Empty<string>();

    /// <summary>Sends credentials over plain HTTP to a host that is not loopback; the connection remembers it.</summary>
    [Parameter(ParameterSetName = ParameterSets.AccessToken)]
    [Parameter(ParameterSetName = ParameterSets.DeviceCode)]
    [Parameter(ParameterSetName = ParameterSets.ClientCredential)]
    public SwitchParameter AllowUnencryptedAuthentication { get; set; }

    /// <summary>The most one request to Renku or its identity provider may take; the connection keeps it.</summary>
    [Parameter(ParameterSetName = ParameterSets.AccessToken)]
    [Parameter(ParameterSetName = ParameterSets.DeviceCode)]
    [Parameter(ParameterSetName = ParameterSets.ClientCredential)]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan Timeout { get; set; } = HttpTimeouts.Default.Operation;

    protected override void End()
    {
        if (ParameterSetName == ParameterSets.Connection)
        {
            Reselect();
            return;
        }

        if (!Uri.IsAbsoluteUri || (Uri.Scheme != Uri.UriSchemeHttps && Uri.Scheme != Uri.UriSchemeHttp))
        {
            Refuse(ErrorMap.Record(new ArgumentException($"'{Uri}' is not an http(s) URL."), ErrorIds.InvalidRenkuUri, Uri, $"-Uri '{Uri}' is not an http(s) URL.", "Give the Renku deployment, e.g. https://renku.example.org."));
        }

        if (AllowUnencryptedAuthentication && Uri.Scheme == Uri.UriSchemeHttp && !CredentialTransport.IsLoopback(Uri.Host))
        {
            WriteWarning($"{Uri} is plain http and -AllowUnencryptedAuthentication is set: every credential of this connection travels unencrypted.");
        }

        var options = new RenkuConnectionOptions
        {
            AllowUnencryptedAuthentication = AllowUnencryptedAuthentication.IsPresent,
            TrustedAuthorityHosts = TrustedAuthorityHost,
            Timeouts = HttpTimeouts.Default.WithOperation(Timeout),
        };
        RenkuConnection? connection = null;
        try
        {
            connection = ParameterSetName switch
            {
                ParameterSets.DeviceCode => ConnectWithDeviceCode(options),
                ParameterSets.ClientCredential => Run((writer, ct) => RenkuConnector.ConnectWithClientCredentialAsync(Uri, AuthorityUri, ClientCredential.UserName, ClientCredential.Password, options, writer.WriteDebug, ct)),
                _ => ConnectWithAccessToken(options),
            };
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Uri);
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
            Refuse(ErrorMap.Record(new InvalidOperationException("The connection was closed."), ErrorIds.RenkuNotConnected, Connection, $"The connection to {Connection.Uri} was closed with Disconnect-RenkuInstance.", "Connect again with -Uri."));
        }

        try
        {
            Run((writer, ct) => RenkuConnector.VerifyAsync(Connection, writer.WriteDebug, ct));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Connection);
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
        if (string.IsNullOrWhiteSpace(fromEnvironment))
        {
            Refuse(ErrorMap.Record(new ArgumentException("No credential was given."), ErrorIds.RenkuCredentialRequired, Uri, "No credential was given and $env:" + AccessTokenVariable + " is not set.", "Use -DeviceCode to sign in interactively, -ClientCredential for a service account, or -AccessToken."));
        }

        WriteVerbose($"Using the access token from ${AccessTokenVariable}.");
        var secure = new SecureString();
        foreach (char c in fromEnvironment.Trim())
        {
            secure.AppendChar(c);
        }

        secure.MakeReadOnly();
        return secure;
    }

    private RenkuConnection ConnectWithDeviceCode(RenkuConnectionOptions options)
    {
        DeviceAuthorization authorization = Run((writer, ct) => RenkuConnector.StartDeviceCodeAsync(Uri, AuthorityUri, ClientId, options, writer.WriteDebug, ct));
        string where = authorization.VerificationUriComplete?.ToString() ?? authorization.VerificationUri.ToString();
        string message = $"To sign in to {Uri}, open {authorization.VerificationUri} and enter the code {authorization.UserCode}" +
            (authorization.VerificationUriComplete is null ? "." : $" (or open {where} directly).") +
            $" The code is valid for {Math.Ceiling(authorization.ExpiresIn.TotalMinutes)} minutes.";
        WriteInformation(message, new[] { "PSHOST", "RenkuDeviceCode" });
        WriteVerbose($"Waiting for the code {authorization.UserCode} to be approved (polling every {authorization.Interval.TotalSeconds:0.#} s).");
        return Run((writer, ct) => RenkuConnector.CompleteDeviceCodeAsync(authorization, writer.WriteDebug, ct));
    }

    /// <summary>With an access token (the parameter's, else the environment's): read on the pipeline thread, then sent by engine work.</summary>
    private RenkuConnection ConnectWithAccessToken(RenkuConnectionOptions options)
    {
        SecureString token = TokenFromParameterOrEnvironment();
        return Run((writer, ct) => RenkuConnector.ConnectWithAccessTokenAsync(Uri, token, options, writer.WriteDebug, ct));
    }
}
