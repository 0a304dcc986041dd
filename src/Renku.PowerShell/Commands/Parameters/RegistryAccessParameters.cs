using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Registry;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>How cmdlets that read registries reach them: credentials, TLS and plain-HTTP registries.</summary>
public sealed class RegistryAccessParameters : ParameterGroup
{
    /// <param name="parameterSets">The cmdlet\'s parameter sets these parameters belong to; none for all.</param>
    public RegistryAccessParameters(params string[] parameterSets)
        : base(parameterSets)
    {
    }

    /// <summary>Credentials for the registry (else the Docker config's, else anonymous).</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accepts any TLS certificate.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Registries reached over plain HTTP.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <summary>
    /// The most one registry operation may take (one image read, one repository's tags), retries
    /// included: seconds (120), a duration (2m) or a TimeSpan. Shorter also shortens each request's bounds.
    /// </summary>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    /// <summary>
    /// An inspector for these settings. The password is read from the PSCredential only here, into
    /// the engine's credential, which never prints it.
    /// </summary>
    internal ImageInspector CreateInspector(Action<string>? log = null)
    {
        RegistryCredential? registryCredential = null;
        if (Credential is not null && Credential != PSCredential.Empty)
        {
            registryCredential = new RegistryCredential(Credential.UserName, Credential.GetNetworkCredential().Password);
        }

        return new ImageInspector(new RegistryClientOptions
        {
            Credential = registryCredential,
            SkipCertificateCheck = SkipCertificateCheck.IsPresent,
            InsecureRegistries = InsecureRegistry,
            Timeouts = HttpTimeouts.Default.WithOperation(RegistryTimeout),
            Log = log,
        });
    }
}
