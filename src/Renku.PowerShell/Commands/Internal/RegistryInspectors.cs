using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Internal;

/// <summary>The registry client every image cmdlet builds from its shared registry parameters.</summary>
internal static class RegistryInspectors
{
    /// <summary>
    /// An inspector for -Credential, -SkipCertificateCheck, -InsecureRegistry and -RegistryTimeout. The password is
    /// read from the PSCredential only here, into the engine's credential, which never prints it.
    /// </summary>
    public static ImageInspector Create(PSCredential? credential, bool skipCertificateCheck, IReadOnlyCollection<string> insecureRegistries, Action<string>? log = null, TimeSpan? timeout = null)
    {
        RegistryCredential? registryCredential = null;
        if (credential is not null && credential != PSCredential.Empty)
        {
            registryCredential = new RegistryCredential(credential.UserName, credential.GetNetworkCredential().Password);
        }

        return new ImageInspector(new RegistryClientOptions
        {
            Credential = registryCredential,
            SkipCertificateCheck = skipCertificateCheck,
            InsecureRegistries = insecureRegistries,
            Timeouts = HttpTimeouts.Default.WithOperation(timeout ?? HttpTimeouts.Default.Operation),
            Log = log,
        });
    }
}
