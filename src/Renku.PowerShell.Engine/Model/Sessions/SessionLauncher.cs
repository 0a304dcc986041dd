namespace Renku.PowerShell;

/// <summary>
/// A project's session launcher and the environment it starts. The environment is an image
/// (<c>EnvironmentImageSource</c> <c>image</c>) or is built by Renku from a repository
/// (<c>build</c>), in which case it has no image until a build succeeded. Values the data service
/// may add later (a new launcher type, a new image source) are kept as they come.
/// </summary>
public sealed class SessionLauncher
{
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string ProjectId { get; init; } = string.Empty;

    public string? Description { get; init; }

    /// <summary>The id of the environment the launcher starts (<c>environment.id</c>).</summary>
    public string? EnvironmentId { get; init; }

    /// <summary><c>GLOBAL</c> or <c>CUSTOM</c>.</summary>
    public string? EnvironmentKind { get; init; }

    /// <summary><c>image</c> or <c>build</c>.</summary>
    public string? EnvironmentImageSource { get; init; }

    /// <summary>True when Renku builds the environment's image from a repository.</summary>
    public bool IsBuilt => string.Equals(EnvironmentImageSource, "build", StringComparison.OrdinalIgnoreCase);

    public string? EnvironmentName { get; init; }

    /// <summary>The image the launcher starts; null for a build environment that has not been built yet.</summary>
    public string? EnvironmentImage { get; init; }

    /// <summary>
    /// As the data service sends it: <c>interactive</c>, <c>non-interactive</c> (0.78 and later),
    /// <c>non_interactive</c> (0.75 to 0.77), <c>app</c> (unreleased), null before 0.75.
    /// </summary>
    public string? LauncherType { get; init; }

    /// <summary>For a build environment: the repository Renku builds the image from.</summary>
    public string? BuildRepository { get; init; }

    /// <summary>For a build environment: the builder (<c>python</c>, <c>r</c>).</summary>
    public string? BuilderVariant { get; init; }

    /// <summary>For a build environment: the frontend (<c>jupyterlab</c>, <c>vscodium</c>, ...).</summary>
    public string? FrontendVariant { get; init; }

    public int? ResourceClassId { get; init; }

    public int? DiskStorage { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public override string ToString() => Name;
}
