namespace Renku.PowerShell.Auth;

/// <summary>An OAuth error answer (RFC 6749 section 5.2, RFC 8628 section 3.5). Never carries a token.</summary>
public sealed class OAuthException : Exception
{
    public OAuthException(string error, string? description, string message)
        : base(message)
    {
        Error = error;
        ErrorDescription = description;
    }

    /// <summary>The OAuth error code (<c>access_denied</c>, <c>expired_token</c>, <c>invalid_client</c>, ...).</summary>
    public string Error { get; }

    public string? ErrorDescription { get; }
}
