namespace Renku.PowerShell.Http;

/// <summary>A credential would have gone over plain HTTP to a host that is not loopback; nothing was sent.</summary>
public sealed class UnencryptedCredentialException : Exception
{
    public UnencryptedCredentialException(Uri target, string what, string optIn)
        : base($"Refused to send {what} to {target.Scheme}://{target.Authority}/ over plain HTTP, where anyone on the way can read it; nothing was sent. Use https, or opt in with {optIn} for a network you trust.")
    {
        Target = target;
    }

    /// <summary>Where the credential would have gone (no query, no credential).</summary>
    public Uri Target { get; }
}
