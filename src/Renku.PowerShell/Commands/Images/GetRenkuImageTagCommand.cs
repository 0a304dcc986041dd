using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Images;

/// <summary>
/// Lists the tags of an image repository, newest version first.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImageTag")]
[OutputType(typeof(ImageTag))]
public sealed class GetRenkuImageTagCommand : RenkuCmdlet, IRegistryAccessParameters
{
    private ImageInspector? inspector;

    /// <summary>The repositories (a tag or digest in the text is ignored).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Name", "container_image")]
    [PipelineText("Repository", "Image", "container_image", "ContainerImage", "Name")]
    [ValidateNotNullOrEmpty]
    public string[] Repository { get; set; } = Array.Empty<string>();

    /// <summary>Only tags that are plain semantic versions.</summary>
    [Parameter]
    public SwitchParameter SemverOnly { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.Credential"/>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.SkipCertificateCheck"/>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.InsecureRegistry"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <inheritdoc cref="RegistryAccessParameters.RegistryTimeout"/>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    protected override void Begin()
    {
        inspector = this.CreateInspector(message => CurrentWriter?.WriteVerbose(message));
    }

    protected override void Process()
    {
        foreach (string text in Repository)
        {
            if (!ImageReference.TryParse(text, out ImageReference? reference, out string? problem))
            {
                WriteError(ErrorMap.InvalidReference(text, problem!));
                continue;
            }

            WriteVerbose($"Listing the tags of {reference!.Name}.");
            try
            {
                IReadOnlyList<ImageTag> tags = Run((_, ct) => inspector!.ListTagsAsync(reference, ct));
                foreach (ImageTag tag in tags)
                {
                    if (!SemverOnly || tag.Kind == TagKind.Semver)
                    {
                        WriteObject(tag);
                    }
                }
            }
            catch (RegistryException ex)
            {
                WriteFailure(ex, text);
            }
        }
    }

    protected override void Dispose(bool disposing) => inspector?.Dispose();
}
