using System.Management.Automation;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Images;

/// <summary>
/// <para type="synopsis">Parses image references the way Docker does.</para>
/// </summary>
[Cmdlet(VerbsData.ConvertTo, "RenkuImageReference")]
[OutputType(typeof(ImageReference))]
public sealed class ConvertToRenkuImageReferenceCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("Image", "Reference", "container_image")]
    [AllowEmptyString]
    public string[] InputObject { get; set; } = Array.Empty<string>();

    protected override void ProcessRecord()
    {
        foreach (string text in InputObject)
        {
            try
            {
                WriteObject(ImageReference.Parse(text));
            }
            catch (ImageReferenceException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, text)
                {
                    ErrorDetails = new ErrorDetails(ex.Message)
                    {
                        RecommendedAction = "Write the reference as [registry[:port]/]repository[:tag][@sha256:<64 hex>], repository in lowercase.",
                    },
                });
            }
        }
    }
}
