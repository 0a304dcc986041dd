namespace Renku.PowerShell.Auth;

/// <summary>Tokens from a token endpoint. Deliberately no ToString that shows them.</summary>
internal sealed class TokenResponse
{
    public TokenResponse(string accessToken, string? refreshToken, DateTimeOffset? expiresAt, DateTimeOffset? refreshExpiresAt)
    {
        AccessToken = accessToken;
        RefreshToken = refreshToken;
        ExpiresAt = expiresAt;
        RefreshExpiresAt = refreshExpiresAt;
    }

    public string AccessToken { get; }

    public string? RefreshToken { get; }

    public DateTimeOffset? ExpiresAt { get; }

    public DateTimeOffset? RefreshExpiresAt { get; }

    public override string ToString() => $"tokens expiring {ExpiresAt:O}";
}
