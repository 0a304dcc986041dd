namespace Renku.PowerShell.Auth;

/// <summary>
/// Hands out a bearer token for each request, renewing it shortly before it expires. Holds the
/// tokens privately; nothing here prints them.
/// </summary>
internal abstract class TokenSource
{
    /// <summary>How the connection authenticated (AccessToken, DeviceCode, ClientCredential).</summary>
    public abstract string Method { get; }

    public abstract DateTimeOffset? Expiry { get; }

    /// <summary>True when a new token can be obtained without the user.</summary>
    public abstract bool CanRenew { get; }

    /// <summary>The token to send; renewed first when it is about to expire or <paramref name="forceRenew"/> is set.</summary>
    public abstract Task<string> GetAsync(bool forceRenew, CancellationToken cancellationToken);

    /// <summary>Renew when less than this is left: 30 s, or half the lifetime for short-lived tokens.</summary>
    protected static bool NearExpiry(DateTimeOffset? expiry, DateTimeOffset? issued)
    {
        if (expiry is null)
        {
            return false;
        }

        TimeSpan margin = TimeSpan.FromSeconds(30);
        if (issued is not null)
        {
            TimeSpan half = (expiry.Value - issued.Value) / 2;
            if (half < margin)
            {
                margin = half;
            }
        }

        return DateTimeOffset.UtcNow + margin >= expiry.Value;
    }
}
