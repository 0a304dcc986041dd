namespace Renku.PowerShell.Auth;

/// <summary>
/// Tokens from Keycloak, renewed with the refresh token (device code) or a new client-credentials
/// grant, one renewal at a time.
/// </summary>
internal sealed class OAuthTokenSource : TokenSource
{
    private readonly OidcClient client;
    private readonly bool clientCredentials;
    private readonly SemaphoreSlim gate = new(1, 1);
    private TokenResponse tokens;
    private DateTimeOffset issuedAt;

    public OAuthTokenSource(OidcClient client, TokenResponse tokens, bool clientCredentials)
    {
        this.client = client;
        this.tokens = tokens;
        this.clientCredentials = clientCredentials;
        issuedAt = DateTimeOffset.UtcNow;
    }

    public override string Method => clientCredentials ? "ClientCredential" : "DeviceCode";

    public override DateTimeOffset? Expiry => tokens.ExpiresAt;

    public override bool CanRenew => clientCredentials || tokens.RefreshToken is not null;

    public override async Task<string> GetAsync(bool forceRenew, CancellationToken cancellationToken)
    {
        TokenResponse current = tokens;
        if (!forceRenew && !NearExpiry(current.ExpiresAt, issuedAt))
        {
            return current.AccessToken;
        }

        if (!CanRenew)
        {
            return current.AccessToken;
        }

        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!ReferenceEquals(current, tokens))
            {
                // Another request renewed while this one waited.
                return tokens.AccessToken;
            }

            TokenResponse renewed = clientCredentials
                ? await client.ClientCredentialsAsync(cancellationToken).ConfigureAwait(false)
                : await client.RefreshAsync(current.RefreshToken!, cancellationToken).ConfigureAwait(false);
            if (renewed.RefreshToken is null && current.RefreshToken is not null && !clientCredentials)
            {
                renewed = new TokenResponse(renewed.AccessToken, current.RefreshToken, renewed.ExpiresAt, current.RefreshExpiresAt);
            }

            tokens = renewed;
            issuedAt = DateTimeOffset.UtcNow;
            return renewed.AccessToken;
        }
        finally
        {
            gate.Release();
        }
    }

    public override string ToString() => Method;
}
