using System.Management.Automation;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Upgrades;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Upgrades;

/// <summary>What Get-RenkuImageUpgrade and Update-RenkuImageTag share: reading inputs and running the audit.</summary>
internal static class UpgradeCommandSupport
{
    private const string PathAdvice = "Check the path (relative to the current location; ~ and PSDrives work); use -LiteralPath for names with wildcard characters.";

    private static readonly PathRole EnvironmentsFile = new(PathKind.FileOrFolder, "environments file", ErrorIds.EnvironmentFileNotFound, Advice: PathAdvice);

    private static readonly PathRole Dockerfile = new(PathKind.FileOrFolder, "Dockerfile", ErrorIds.DockerfileNotFound, Advice: PathAdvice);

    /// <summary>Resolves -Path (wildcards) or -LiteralPath to file system paths; a missing one is an error per path.</summary>
    public static IEnumerable<string> ResolvePaths(RenkuCmdlet cmdlet, IEnumerable<string> paths, bool literal)
    {
        foreach (string path in paths)
        {
            PathRole role = EnvironmentFileImages.IsEnvironmentsFile(path) ? EnvironmentsFile : Dockerfile;
            foreach (string file in ProviderPaths.Existing(cmdlet, new[] { path }, literal, role, cmdlet.WriteError))
            {
                yield return file;
            }
        }
    }

    /// <summary>Adds the images of every Dockerfile or environments file -Path (wildcards) or -LiteralPath names.</summary>
    public static void AddFiles(RenkuCmdlet cmdlet, IEnumerable<string> paths, bool literal, List<UpgradeInput> inputs)
    {
        foreach (string path in ResolvePaths(cmdlet, paths, literal))
        {
            AddFile(cmdlet, path, inputs);
        }
    }

    /// <summary>
    /// Adds every FROM of a Dockerfile, or every entry of an environments file. A file that cannot be
    /// read, a Dockerfile without FROM and a file that is neither are errors for that file, never an
    /// empty result.
    /// </summary>
    public static void AddFile(RenkuCmdlet cmdlet, string path, List<UpgradeInput> inputs)
    {
        if (Directory.Exists(path))
        {
            string candidate = System.IO.Path.Combine(path, "Dockerfile");
            if (!File.Exists(candidate))
            {
                cmdlet.WriteError(ErrorMap.Record(new FileNotFoundException($"'{path}' is a folder without a Dockerfile.", candidate), ErrorIds.DockerfileNotFound, path));
                return;
            }

            path = candidate;
        }

        try
        {
            inputs.AddRange(UpgradeInputReader.FromFile(path));
        }
        catch (EnvironmentFileException ex)
        {
            cmdlet.WriteError(ErrorMap.Record(ex, ErrorIds.EnvironmentFileInvalid, path, ex.Message, "Fix the file: a top-level 'environments' list whose entries use the API's field names (as Export-RenkuGlobalEnvironment writes it)."));
        }
        catch (UpgradeFileException ex)
        {
            cmdlet.WriteError(ErrorMap.Record(ex, ex.IsDockerfile ? ErrorIds.InvalidDockerfile : ErrorIds.UnsupportedUpgradeFile, path, ex.Message, ex.IsDockerfile ? "Give a Dockerfile with a FROM line." : "Give Dockerfiles or environments files (.yaml, .yml or .json, as Export-RenkuGlobalEnvironment writes them)."));
        }
        catch (Renku.PowerShell.Dockerfiles.DockerfileException ex)
        {
            cmdlet.WriteError(ErrorMap.Record(ex, ErrorIds.InvalidDockerfile, path, ex.Message, "Save the Dockerfile as UTF-8 text."));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or System.Text.DecoderFallbackException)
        {
            cmdlet.WriteError(ErrorMap.Record(ex, ErrorIds.InvalidDockerfile, path, $"The Dockerfile '{path}' could not be read: {ex.Message}", null));
        }
    }

    /// <summary>Adds a piped object: an image string, a reference, a file, or an environment-like object.</summary>
    public static void AddInput(RenkuCmdlet cmdlet, object? item, List<UpgradeInput> inputs)
    {
        object? value = item is PSObject wrapped ? wrapped.BaseObject : item;
        switch (value)
        {
            case null:
                return;
            case string text:
                inputs.Add(UpgradeInputReader.FromImage(text));
                return;
            case ImageReference reference:
                inputs.Add(UpgradeInputReader.FromImage(reference.Original));
                return;
            case ImageUpgrade row:
                inputs.Add(row.GetInput());
                return;
            case FileInfo file:
                AddFile(cmdlet, file.FullName, inputs);
                return;
        }

        string? image = EnvironmentArgument.Text(item!, "Image", "container_image", "ContainerImage");
        if (image is null)
        {
            cmdlet.WriteError(ErrorMap.Record(
                new ArgumentException($"A {value.GetType().Name} has no Image or container_image property to audit."),
                ErrorIds.InvalidUpgradeInput,
                item,
                "Pipe image references, Renku environments or Dockerfiles (use -Path for files).",
                null));
            return;
        }

        SessionSettings settings;
        try
        {
            settings = EnvironmentArgument.Patch(item!).ToSettings();
        }
        catch (SessionSettingsException ex)
        {
            // The candidate could not be checked under settings that cannot be read: this input is refused, the others go on.
            cmdlet.WriteError(ErrorMap.Record(ex, ErrorIds.InvalidUpgradeInput, item, $"{image}: {ex.Message}", "Give the environment's port, uid and gid as whole numbers."));
            return;
        }

        inputs.Add(UpgradeInputReader.FromEnvironment(EnvironmentArgument.Text(item!, "Name"), EnvironmentArgument.Text(item!, "Id"), image, item, settings));
    }

    /// <summary>
    /// Checks the candidates of the rows that have one and no verdict yet (never the current
    /// images), with the settings each would run under.
    /// </summary>
    public static void CheckCandidates(IReadOnlyList<ImageUpgrade> rows, IRegistryAccessParameters registry, int throttle, Action<Func<CancellationToken, Task>> run)
    {
        if (!rows.Any(r => r.CandidateImage is not null && r.CandidatePassed is null))
        {
            return;
        }

        using Renku.PowerShell.Images.ImageInspector inspector = registry.CreateInspector();
        run(ct => CandidateGate.CheckAsync(rows, inspector, Renku.PowerShell.Compliance.CompliancePolicy.Default, throttle, ct));
    }

    /// <summary>The warning for a candidate that failed the gate: which rules, and what they found.</summary>
    public static string FailedCandidate(ImageUpgrade row) => row.CandidateFailedRules.Count > 0
        ? $"{row.Source}: the candidate {row.CandidateImage} fails Renku's rules ({string.Join(", ", row.CandidateFailedRules)}): {row.CandidateCheckMessage}"
        : $"{row.Source}: {row.CandidateCheckMessage}";

    /// <summary>The audit's progress as a progress record (a worker reports it; the core shows it on the pipeline thread).</summary>
    public static ProgressRecord Progress(int activityId, AuditProgress update) => new(activityId, "Auditing image tags", $"Listed {update.RepositoriesDone} of {update.RepositoryCount} repositories")
    {
        PercentComplete = update.RepositoryCount == 0 ? 100 : (int)(100L * update.RepositoriesDone / update.RepositoryCount),
        CurrentOperation = update.CurrentRepository,
    };
}
