namespace Renku.PowerShell.Auth;

/// <summary>The endpoints an OpenID Connect discovery document names.</summary>
internal sealed class OidcEndpoints
{
    public OidcEndpoints(string issuer, Uri tokenEndpoint, Uri? deviceAuthorizationEndpoint)
    {
        Issuer = issuer;
        TokenEndpoint = tokenEndpoint;
        DeviceAuthorizationEndpoint = deviceAuthorizationEndpoint;
    }

    public string Issuer { get; }

    public Uri TokenEndpoint { get; }

    public Uri? DeviceAuthorizationEndpoint { get; }
}
