namespace Renku.PowerShell.Registry;

/// <summary>
/// A user name and password (or an identity token) for a registry, as plain engine values. The
/// cmdlets build it from a PSCredential at the last moment; it is never printed.
/// </summary>
public sealed class RegistryCredential
{
    public RegistryCredential(string userName, string password)
    {
        UserName = userName ?? throw new ArgumentNullException(nameof(userName));
        Password = password ?? throw new ArgumentNullException(nameof(password));
    }

    private RegistryCredential(string identityToken)
    {
        UserName = string.Empty;
        Password = string.Empty;
        IdentityToken = identityToken;
    }

    public string UserName { get; }

    public string Password { get; }

    /// <summary>An OAuth2 refresh token (Docker config <c>identitytoken</c>), exchanged at the token endpoint.</summary>
    public string? IdentityToken { get; }

    /// <summary>Creates a credential that holds only an identity (refresh) token.</summary>
    public static RegistryCredential FromIdentityToken(string identityToken) => new(identityToken ?? throw new ArgumentNullException(nameof(identityToken)));

    /// <summary>Never shows the secret.</summary>
    public override string ToString() => IdentityToken is null ? $"{UserName} (password hidden)" : "(identity token hidden)";
}
