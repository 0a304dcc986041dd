using System.Security;

namespace Renku.PowerShell.Engine.Tests.Auth;

/// <summary>Secrets as the connector takes them.</summary>
internal static class Secrets
{
    public static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }
}
