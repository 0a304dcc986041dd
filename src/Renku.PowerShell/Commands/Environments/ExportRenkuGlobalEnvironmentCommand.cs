using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// Writes global environments to a YAML or JSON file that Sync-RenkuGlobalEnvironment reads back.
/// </summary>
[Cmdlet(VerbsData.Export, "RenkuGlobalEnvironment", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRenkuGlobalEnvironmentCommand : RenkuApiCmdlet
{
    private readonly List<GlobalEnvironment> piped = new();

    /// <summary>The file to write; .yaml, .yml or .json.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [Alias("PSPath", "LiteralPath")]
    public string Path { get; set; } = string.Empty;

    /// <summary>Environments to export; all of them when nothing is piped.</summary>
    [Parameter(ValueFromPipeline = true)]
    public GlobalEnvironment[]? InputObject { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ArgumentCompleter(typeof(EnvironmentNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter]
    public SwitchParameter IncludeArchived { get; set; }

    /// <summary>Refuses to overwrite an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Writes the file written (a FileInfo); without it the cmdlet writes nothing, as every exporter of the module.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Process()
    {
        if (InputObject is not null)
        {
            piped.AddRange(InputObject.Where(e => e is not null));
        }
    }

    private static readonly PathRole OutputPath = new(PathKind.File, "environments file", ErrorIds.EnvironmentFileInvalid, ExistsId: ErrorIds.EnvironmentFileExists);

    protected override void End()
    {
        if (!ProviderPaths.TryOutput(this, Path, OutputPath, NoClobber, out string? path, out ErrorRecord? error))
        {
            Refuse(error);
        }

        if (!EnvironmentFile.IsKnownFormat(path))
        {
            Refuse(ErrorMap.InvalidArgument(ErrorIds.EnvironmentFileInvalid, $"-Path '{path}' must end in .yaml, .yml or .json.", path, "Pick the format with the extension."));
        }

        IEnumerable<GlobalEnvironment> environments = piped;
        if (piped.Count == 0)
        {
            try
            {
                environments = Run((_, ct) => Client.GetEnvironmentsAsync(IncludeArchived, ct));
            }
            catch (Exception ex) when (IsKnownFailure(ex))
            {
                ThrowFailure(ex, path);
            }
        }

        if (Name is not null)
        {
            var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            environments = environments.Where(e => patterns.Any(p => p.IsMatch(e.Name)));
        }

        var list = environments.OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
        if (!ShouldProcess(path, $"Write {list.Count} global environment(s)"))
        {
            return;
        }

        EnvironmentFile.Write(path, list);
        WriteVerbose($"Wrote {list.Count} environment(s) to {path}.");
        if (PassThru)
        {
            WriteObject(new FileInfo(path));
        }
    }
}
