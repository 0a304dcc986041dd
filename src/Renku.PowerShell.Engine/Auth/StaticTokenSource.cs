namespace Renku.PowerShell.Auth;

/// <summary>A token handed in by the caller; it cannot be renewed.</summary>
internal sealed class StaticTokenSource : TokenSource
{
    private readonly string token;

    public StaticTokenSource(string token)
    {
        this.token = token;
        Expiry = JwtClaims.Expiry(token);
    }

    public override string Method => "AccessToken";

    public override DateTimeOffset? Expiry { get; }

    public override bool CanRenew => false;

    public override Task<string> GetAsync(bool forceRenew, CancellationToken cancellationToken) => Task.FromResult(token);

    public override string ToString() => Method;
}
