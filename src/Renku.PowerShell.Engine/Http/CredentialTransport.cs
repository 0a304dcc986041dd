using System.Net;

namespace Renku.PowerShell.Http;

/// <summary>
/// The one rule for every credential the module sends (Renku access tokens, OAuth client secrets
/// and device codes, registry passwords and tokens): over HTTPS, to a loopback address, or over
/// plain HTTP only where the user opted in by name (<c>-AllowUnencryptedAuthentication</c>,
/// <c>-InsecureRegistry</c>). Checked before a request is sent, so a refusal sends nothing.
/// </summary>
public static class CredentialTransport
{
    /// <summary>True for <c>localhost</c> and loopback addresses (<c>127.0.0.0/8</c>, <c>::1</c>), with or without brackets.</summary>
    public static bool IsLoopback(string host)
    {
        string bare = host.Trim().TrimEnd('.');
        if (bare.StartsWith('[') && bare.EndsWith(']'))
        {
            bare = bare[1..^1];
        }

        return string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(bare, out IPAddress? address) && IPAddress.IsLoopback(address));
    }

    /// <summary>True when a credential may travel to <paramref name="target"/>.</summary>
    /// <param name="plainHttpAllowed">The user opted in to plain HTTP for this host.</param>
    public static bool Allows(Uri target, bool plainHttpAllowed) =>
        target.IsAbsoluteUri
        && (string.Equals(target.Scheme, Uri.UriSchemeHttps, StringComparison.OrdinalIgnoreCase)
            || (string.Equals(target.Scheme, Uri.UriSchemeHttp, StringComparison.OrdinalIgnoreCase) && (plainHttpAllowed || IsLoopback(target.Host))));

    /// <summary>Throws <see cref="UnencryptedCredentialException"/> unless <see cref="Allows"/>.</summary>
    /// <param name="what">What would be sent (<c>the access token</c>), for the message.</param>
    /// <param name="optIn">How the user opts in, for the message (<c>-AllowUnencryptedAuthentication</c>).</param>
    public static void Require(Uri target, bool plainHttpAllowed, string what, string optIn)
    {
        if (!Allows(target, plainHttpAllowed))
        {
            throw new UnencryptedCredentialException(target, what, optIn);
        }
    }
}
