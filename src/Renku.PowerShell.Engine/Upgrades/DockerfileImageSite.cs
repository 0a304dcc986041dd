namespace Renku.PowerShell.Upgrades;

/// <summary>
/// The exact characters of a file that name an image: in a Dockerfile the image token of a FROM
/// line, or the default value of the ARG a FROM line uses; in an environments file the value of an
/// entry's <c>container_image</c>.
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
