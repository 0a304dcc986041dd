using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>How cmdlets that read registries reach them: credentials, TLS and plain-HTTP registries.</summary>
public interface IRegistryAccessParameters : IParameterGroup
{
    /// <inheritdoc cref="RegistryAccessParameters.Credential"/>
    PSCredential? Credential { get; }

    /// <inheritdoc cref="RegistryAccessParameters.SkipCertificateCheck"/>
    SwitchParameter SkipCertificateCheck { get; }

    /// <inheritdoc cref="RegistryAccessParameters.InsecureRegistry"/>
    string[] InsecureRegistry { get; }

    /// <inheritdoc cref="RegistryAccessParameters.RegistryTimeout"/>
    TimeSpan RegistryTimeout { get; }
}

/// <summary>The template of <see cref="IRegistryAccessParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class RegistryAccessParameters : IRegistryAccessParameters
{
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
}

/// <summary>Turns the registry access parameters into the engine's registry client.</summary>
internal static class RegistryAccess
{
    /// <summary>
    /// An inspector for these settings. The password is read from the PSCredential only here, into
    /// the engine's credential, which never prints it.
    /// </summary>
    internal static ImageInspector CreateInspector(this IRegistryAccessParameters parameters, Action<string>? log = null)
    {
        RegistryCredential? registryCredential = null;
        if (parameters.Credential is not null && parameters.Credential != PSCredential.Empty)
        {
            registryCredential = new RegistryCredential(parameters.Credential.UserName, parameters.Credential.GetNetworkCredential().Password);
        }

        return new ImageInspector(new RegistryClientOptions
        {
            Credential = registryCredential,
            SkipCertificateCheck = parameters.SkipCertificateCheck.IsPresent,
            InsecureRegistries = parameters.InsecureRegistry,
            Timeouts = HttpTimeouts.Default.WithOperation(parameters.RegistryTimeout),
            Log = log,
        });
    }
}
