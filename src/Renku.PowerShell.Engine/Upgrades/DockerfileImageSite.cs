namespace Renku.PowerShell.Upgrades;

/// <summary>
/// The exact characters of a Dockerfile that name a base image: the image token of a FROM line,
/// or the default value of the ARG a FROM line uses.
/// </summary>
public sealed class DockerfileImageSite
{
    /// <summary>Character offset in the decoded file text.</summary>
    public int Offset { get; init; }

    /// <summary>Length of the text to replace.</summary>
    public int Length { get; init; }

    /// <summary>The text at that place when the file was read (checked before rewriting).</summary>
    public string Text { get; init; } = string.Empty;

    /// <summary>1-based line of the site.</summary>
    public int Line { get; init; }

    /// <summary>The ARG name when the site is an ARG default, else null.</summary>
    public string? ArgumentName { get; init; }
}
