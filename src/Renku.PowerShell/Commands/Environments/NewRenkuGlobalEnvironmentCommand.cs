using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Creates a global session environment with Renku's documented settings for its images.
/// </summary>
[Cmdlet(VerbsCommon.New, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(GlobalEnvironment))]
public sealed class NewRenkuGlobalEnvironmentCommand : RenkuApiCmdlet, IHashtableInput
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [AllowEmptyString]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("container_image")]
    [AllowEmptyString]
    public string Image { get; set; } = string.Empty;

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? Description { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("default_url")]
    public string? DefaultUrl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Port { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Uid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Gid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("working_directory")]
    public string? WorkingDirectory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("mount_directory")]
    public string? MountDirectory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? Command { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    [AllowEmptyCollection]
    [AllowNull]
    public string[]? Arguments { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SwitchParameter StripPathPrefix { get; set; }

    /// <summary>Creates the environment even when another one has the name already.</summary>
    [Parameter]
    public SwitchParameter AllowDuplicateName { get; set; }

    /// <summary>
    /// A hashtable piped in (Import-PowerShellDataFile returns them) or given: its keys bind as the
    /// properties of a piped object bind, to the parameters that take pipeline input by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    protected override void Begin() => RequireAdmin();

    protected override void Process()
    {
        // Unset values take the settings Renku documents for its images, sent explicitly;
        // the API's own defaults (/lab, 8080) do not suit them. An empty directory means "none".
        var spec = new EnvironmentSpec
        {
            Name = Name,
            Image = Image,
            Description = string.IsNullOrEmpty(Description) ? null : Description,
            DefaultUrl = DefaultUrl ?? EnvironmentSpec.RenkuDefaultUrl,
            Port = Port ?? EnvironmentSpec.RenkuPort,
            Uid = Uid ?? EnvironmentSpec.RenkuUid,
            Gid = Gid ?? EnvironmentSpec.RenkuGid,
            WorkingDirectory = WorkingDirectory is null ? EnvironmentSpec.RenkuWorkDirectory : WorkingDirectory.Length == 0 ? null : WorkingDirectory,
            MountDirectory = MountDirectory is null ? EnvironmentSpec.RenkuWorkDirectory : MountDirectory.Length == 0 ? null : MountDirectory,
            Command = Command,
            Args = Arguments,
            StripPathPrefix = StripPathPrefix.IsPresent,
        };

        if (!WriteValidationErrors(EnvironmentValidator.Validate(spec), Name))
        {
            return;
        }

        // A second environment of a name makes the name ambiguous, and an exported file unsyncable.
        if (!AllowDuplicateName)
        {
            try
            {
                var holders = EnvironmentLookup.Holders(spec.Name, Run((_, ct) => Client.GetEnvironmentsAsync(includeArchived: true, ct)));
                if (holders.Count > 0)
                {
                    WriteError(EnvironmentNameErrors.Taken(spec.Name, holders));
                    return;
                }
            }
            catch (Exception ex) when (IsKnownFailure(ex))
            {
                WriteFailure(ex, Name);
                return;
            }
        }

        string summary = $"Create global environment '{spec.Name}' ({spec.Image}, port {spec.Port}, url {spec.DefaultUrl}, uid/gid {spec.Uid}/{spec.Gid})";
        if (!ShouldProcess(Client.Connection.Uri.ToString(), summary))
        {
            return;
        }

        try
        {
            WriteObject(Run((_, ct) => Client.CreateEnvironmentAsync(spec, ct)));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            WriteFailure(ex, Name);
        }
    }
}
