using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Commands.Internal;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Images;

/// <summary>
/// <para type="synopsis">Lists the tags of an image repository, newest version first.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImageTag")]
[OutputType(typeof(ImageTag))]
public sealed class GetRenkuImageTagCommand : PSCmdlet, IDisposable
{
    private readonly PipelinePump pump = new();
    private ImageInspector? inspector;

    /// <summary>The repositories (a tag or digest in the text is ignored).</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Name", "container_image")]
    [ValidateNotNullOrEmpty]
    public string[] Repository { get; set; } = Array.Empty<string>();

    /// <summary>Only tags that are plain semantic versions.</summary>
    [Parameter]
    public SwitchParameter SemverOnly { get; set; }

    /// <summary>Credentials for the registry.</summary>
    [Parameter]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <summary>Accept any TLS certificate.</summary>
    [Parameter]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <summary>Registries reached over plain HTTP.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <summary>The most one registry operation may take (one image read, one repository's tags), retries included.</summary>
    [Parameter]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    protected override void BeginProcessing()
    {
        inspector = RegistryInspectors.Create(Credential, SkipCertificateCheck.IsPresent, InsecureRegistry, message => pump.Post(() => WriteVerbose(message)), RegistryTimeout);
    }

    protected override void ProcessRecord()
    {
        foreach (string text in Repository)
        {
            if (!ImageReference.TryParse(text, out ImageReference? reference, out string? problem))
            {
                WriteError(new ErrorRecord(new ArgumentException(problem), ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, text)
                {
                    ErrorDetails = new ErrorDetails(problem) { RecommendedAction = "Write the repository as [registry[:port]/]path, in lowercase." },
                });
                continue;
            }

            WriteVerbose($"Listing the tags of {reference!.Name}.");
            try
            {
                IReadOnlyList<ImageTag> tags = pump.Run(ct => inspector!.ListTagsAsync(reference, ct));
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
                WriteError(RegistryErrors.ToErrorRecord(ex, text));
            }
        }
    }

    protected override void StopProcessing() => pump.Cancel();

    public void Dispose()
    {
        inspector?.Dispose();
        pump.Dispose();
    }
}
