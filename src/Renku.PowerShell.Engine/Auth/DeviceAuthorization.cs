namespace Renku.PowerShell.Auth;

/// <summary>
/// A started device authorization: what the user must open and type. The device code itself stays
/// inside (it is a credential until the grant completes).
/// </summary>
public sealed class DeviceAuthorization
{
    internal DeviceAuthorization(string deviceCode, string userCode, Uri verificationUri, Uri? verificationUriComplete, TimeSpan expiresIn, TimeSpan interval, DateTimeOffset startedAt)
    {
        DeviceCode = deviceCode;
        UserCode = userCode;
        VerificationUri = verificationUri;
        VerificationUriComplete = verificationUriComplete;
        ExpiresIn = expiresIn;
        Interval = interval;
        ExpiresAt = startedAt + expiresIn;
    }

    public string UserCode { get; }

    public Uri VerificationUri { get; }

    public Uri? VerificationUriComplete { get; }

    public TimeSpan ExpiresIn { get; }

    public DateTimeOffset ExpiresAt { get; }

    /// <summary>How long to wait between polls, as the server asked.</summary>
    public TimeSpan Interval { get; }

    internal string DeviceCode { get; }

    /// <summary>Set by the connector so the grant can be completed with the same client.</summary>
    internal object? State { get; set; }

    public override string ToString() => $"Open {VerificationUriComplete ?? VerificationUri} and enter the code {UserCode}.";
}
