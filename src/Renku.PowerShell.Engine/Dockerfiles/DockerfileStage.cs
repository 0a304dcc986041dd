namespace Renku.PowerShell.Dockerfiles;

/// <summary>A build stage: one FROM and the instructions up to the next FROM.</summary>
public sealed class DockerfileStage
{
    public int Index { get; init; }

    /// <summary>The name given with <c>AS</c>, or null.</summary>
    public string? Name { get; init; }

    /// <summary>The base as written (<c>${BASE}:${TAG}</c>).</summary>
    public string BaseImage { get; init; } = string.Empty;

    /// <summary>The base with build arguments substituted from their defaults (or the values given to the reader).</summary>
    public string ResolvedBaseImage { get; init; } = string.Empty;

    /// <summary>
    /// Why the base could not be resolved, one line per variable of the FROM that has no value
    /// (<c>`${VALUE}` has no value: no ARG declares it</c>); empty when every variable has one.
    /// </summary>
    public IReadOnlyList<string> UnsetVariables { get; init; } = Array.Empty<string>();

    /// <summary>
    /// The stage's base as a message can name it: the resolved image, or the text as written with
    /// why it has no value when a variable of it has none (never an empty name).
    /// </summary>
    public string DescribedBase => UnsetVariables.Count == 0 && ResolvedBaseImage.Length > 0
        ? ResolvedBaseImage
        : UnsetVariables.Count == 0 ? $"'{BaseImage}' (empty once its variables are substituted)" : $"'{BaseImage}' ({string.Join("; ", UnsetVariables)})";

    /// <summary>The base the stage finally builds on as a message can name it (see <see cref="DescribedBase"/>).</summary>
    public string DescribedRoot => BaseStage?.DescribedRoot ?? DescribedBase;

    /// <summary>True when the image the stage finally builds on could not be resolved.</summary>
    public bool RootUnresolved => BaseStage?.RootUnresolved ?? (UnsetVariables.Count > 0 || ResolvedBaseImage.Length == 0);

    /// <summary>The earlier stage this one builds on (<c>FROM builder</c>), or null for an image.</summary>
    public DockerfileStage? BaseStage { get; init; }

    /// <summary>The <c>--platform</c> flag of the FROM, when given.</summary>
    public string? Platform { get; init; }

    public DockerfileInstruction From { get; init; } = new();

    public IReadOnlyList<DockerfileInstruction> Instructions { get; init; } = Array.Empty<DockerfileInstruction>();

    /// <summary>The last USER instruction of the stage, or null.</summary>
    public DockerfileInstruction? LastUser => Instructions.LastOrDefault(i => i.Keyword == "USER");

    /// <summary>The last ENTRYPOINT instruction of the stage, or null.</summary>
    public DockerfileInstruction? Entrypoint => Instructions.LastOrDefault(i => i.Keyword == "ENTRYPOINT");

    /// <summary>The last CMD instruction of the stage, or null.</summary>
    public DockerfileInstruction? Cmd => Instructions.LastOrDefault(i => i.Keyword == "CMD");

    /// <summary>The image the stage finally builds on, following <c>FROM stage</c> chains.</summary>
    public string RootImage => BaseStage?.RootImage ?? ResolvedBaseImage;

    public override string ToString() => Name is null ? $"stage {Index} FROM {ResolvedBaseImage}" : $"stage {Index} ({Name}) FROM {ResolvedBaseImage}";
}
