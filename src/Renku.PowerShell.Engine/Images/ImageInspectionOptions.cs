namespace Renku.PowerShell.Images;

/// <summary>What one inspection reads.</summary>
public sealed class ImageInspectionOptions
{
    /// <summary>The platform to pick from a multi-platform image; null means linux/amd64.</summary>
    public ImagePlatform? Platform { get; init; }

    /// <summary>
    /// Read files from the layers (passwd, group, os-release, ...) to resolve the user and the
    /// distribution. Without it only the manifest and config are fetched.
    /// </summary>
    public bool ReadFiles { get; init; }

    /// <summary>
    /// Extra absolute paths to read besides the standard ones (they are settled top-down, like
    /// the user database).
    /// </summary>
    public IReadOnlyList<string> ExtraFiles { get; init; } = Array.Empty<string>();

    /// <summary>Classify public access with a request that carries no credentials at all.</summary>
    public bool CheckPublicAccess { get; init; } = true;

    /// <summary>
    /// For archives holding several images: the one to read, by name (<c>app:1.0</c>) as its
    /// RepoTags or ref-name annotation gives it. Null takes the only image.
    /// </summary>
    public string? ArchiveImage { get; init; }

    /// <summary>Progress reports (phase text and bytes); called from worker threads.</summary>
    public IProgress<ImageInspectionProgress>? Progress { get; init; }

    /// <summary>The standard files every inspection with <see cref="ReadFiles"/> reads.</summary>
    public static IReadOnlyList<string> StandardFiles { get; } = new[]
    {
        "/etc/passwd", "/etc/group", "/etc/os-release", "/usr/lib/os-release", "/etc/debian_version", "/etc/lsb-release",
    };
}
