using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Commands.Images;

/// <summary>
/// Inspects container images without pulling them: from a registry, a docker save archive or an OCI layout.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuImage", DefaultParameterSetName = ParameterSets.Registry)]
[OutputType(typeof(ImageInfo))]
public sealed class GetRenkuImageCommand : RenkuCmdlet, IHashtableInput, IRegistryAccessParameters
{
    private const int ProgressActivityId = 0x52_49_4d; // "RIM"

    private ImageInspector? inspector;
    private ImagePlatform? platform;

    /// <summary>The image references to inspect.</summary>
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.Registry)]
    [Alias("Reference", "container_image", "FullName")]
    [PipelineText("Image", "Reference", "container_image", "ContainerImage")]
    [ValidateNotNullOrEmpty]
    public string[] Image { get; set; } = Array.Empty<string>();

    /// <summary>Archives or OCI layouts to read, with wildcards.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Path, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Archives or OCI layouts to read, taken literally.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.LiteralPath, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath")]
    [ValidateNotNullOrEmpty]
    public string[] LiteralPath { get; set; } = Array.Empty<string>();

    /// <summary>The platform to pick from a multi-platform image (default linux/amd64).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PlatformCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    /// <summary>Read passwd, group and os-release from the layers.</summary>
    [Parameter]
    public SwitchParameter IncludeFiles { get; set; }

    /// <summary>
    /// A hashtable piped in (Import-PowerShellDataFile returns them) or given: its keys bind as the
    /// properties of a piped object bind, to the parameters that take pipeline input by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.Credential"/>
    [Parameter(ParameterSetName = ParameterSets.Registry)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.SkipCertificateCheck"/>
    [Parameter(ParameterSetName = ParameterSets.Registry)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.InsecureRegistry"/>
    [Parameter(ParameterSetName = ParameterSets.Registry)]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <inheritdoc cref="RegistryAccessParameters.RegistryTimeout"/>
    [Parameter(ParameterSetName = ParameterSets.Registry)]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    protected override void Begin()
    {
        if (Platform is not null)
        {
            try
            {
                platform = ImagePlatform.Parse(Platform);
            }
            catch (FormatException ex)
            {
                Refuse(ErrorMap.Record(ex, ErrorIds.InvalidPlatform, Platform, ex.Message, "Write the platform as os/architecture[/variant], for example linux/amd64 or linux/arm64/v8."));
            }
        }

        inspector = this.CreateInspector(message => CurrentWriter?.WriteVerbose(message));
    }

    protected override void Process()
    {
        if (ParameterSetName == ParameterSets.Registry)
        {
            foreach (string text in Image)
            {
                if (!ImageReference.TryParse(text, out ImageReference? reference, out string? problem))
                {
                    WriteError(ErrorMap.InvalidReference(text, problem!));
                    continue;
                }

                Inspect(reference!, (engine, options, ct) => engine.InspectAsync(reference!, options, ct));
            }

            return;
        }

        foreach (string archive in ResolvePaths())
        {
            Inspect(archive, (engine, options, ct) => engine.InspectArchiveAsync(archive, options, ct));
        }
    }

    protected override void Dispose(bool disposing) => inspector?.Dispose();

    private void Inspect(object target, Func<ImageInspector, ImageInspectionOptions, CancellationToken, Task<ImageInfo>> work)
    {
        WriteVerbose($"Inspecting {target}{(IncludeFiles ? " and reading its files" : string.Empty)}.");
        try
        {
            ImageInfo info = Run((writer, ct) => work(inspector!, new ImageInspectionOptions
            {
                Platform = platform,
                ReadFiles = IncludeFiles.IsPresent,
                Progress = new Progress(writer),
            }, ct));
            WriteObject(info);
        }
        catch (RegistryException ex)
        {
            WriteFailure(ex, target);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException && target is string)
        {
            WriteError(ErrorMap.Record(ex, ErrorIds.InvalidImageArchive, target, $"The archive '{target}' could not be read: {ex.Message}", "Check that the file is complete and readable."));
        }
    }

    private static readonly PathRole ArchivePath = new(PathKind.FileOrFolder, "image archive or OCI layout", ErrorIds.ImageArchiveNotFound, Advice: "Give the path of a 'docker save' tar, or of an OCI image layout folder or tar.");

    private IEnumerable<string> ResolvePaths() =>
        ParameterSetName == ParameterSets.LiteralPath
            ? ProviderPaths.Existing(this, LiteralPath, literal: true, ArchivePath, WriteError)
            : ProviderPaths.Existing(this, Path, literal: false, ArchivePath, WriteError);

    /// <summary>Shows engine progress through the work's writer.</summary>
    private sealed class Progress : IProgress<ImageInspectionProgress>
    {
        private readonly PipelineWriter writer;

        internal Progress(PipelineWriter writer)
        {
            this.writer = writer;
        }

        public void Report(ImageInspectionProgress value) => writer.WriteProgress(new ProgressRecord(ProgressActivityId, "Inspecting images", value.Phase)
        {
            CurrentOperation = $"{value.BytesDownloaded / 1024.0 / 1024.0:0.0} MiB read",
        });
    }
}
