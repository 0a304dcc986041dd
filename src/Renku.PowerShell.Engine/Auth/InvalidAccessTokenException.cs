namespace Renku.PowerShell.Auth;

/// <summary>An access token handed in that cannot be a bearer token (blank, or with characters a header cannot carry). Never shows the token.</summary>
public sealed class InvalidAccessTokenException : ArgumentException
{
    public InvalidAccessTokenException(string message)
        : base(message)
    {
    }
}
