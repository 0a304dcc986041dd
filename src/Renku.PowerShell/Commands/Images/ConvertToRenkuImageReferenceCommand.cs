using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Images;

/// <summary>
/// Parses image references the way Docker does.
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "RenkuImageReference")]
[OutputType(typeof(ImageReference))]
public sealed class ConvertToRenkuImageReferenceCommand : RenkuCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Reference", "container_image")]
    [PipelineText("Image", "Reference", "container_image", "ContainerImage")]
    [AllowEmptyString]
    public string[] InputObject { get; set; } = Array.Empty<string>();

    protected override void Process()
    {
        foreach (string text in InputObject)
        {
            try
            {
                WriteObject(ImageReference.Parse(text));
            }
            catch (ImageReferenceException ex)
            {
                WriteFailure(ex, text);
            }
        }
    }
}
