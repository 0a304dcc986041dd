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

    protected override IEnumerable<ParameterGroup> CreateParameterGroups()
    {
        yield return ConnectionGroup();
    }

    protected override void Process()
    {
        if (InputObject is not null)
        {
            piped.AddRange(InputObject.Where(e => e is not null));
        }
    }

    protected override void End()
    {
        string path = GetUnresolvedProviderPathFromPSPath(Path);
        if (!EnvironmentFile.IsKnownFormat(path))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException($"'{path}' must end in .yaml, .yml or .json."), ErrorIds.EnvironmentFileInvalid, ErrorCategory.InvalidArgument, path)
            {
                ErrorDetails = new ErrorDetails($"-Path '{path}' must end in .yaml, .yml or .json.") { RecommendedAction = "Pick the format with the extension." },
            });
        }

        if (NoClobber && File.Exists(path))
        {
            ThrowTerminatingError(new ErrorRecord(new IOException($"{path} exists."), ErrorIds.EnvironmentFileExists, ErrorCategory.ResourceExists, path)
            {
                ErrorDetails = new ErrorDetails($"{path} exists and -NoClobber was given.") { RecommendedAction = "Choose another path or leave out -NoClobber." },
            });
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
