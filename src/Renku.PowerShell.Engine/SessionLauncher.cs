namespace Renku.PowerShell;

/// <summary>A project's session launcher and the environment it starts.</summary>
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

    public string? EnvironmentName { get; init; }

    public string? EnvironmentImage { get; init; }

    /// <summary><c>interactive</c> or <c>non-interactive</c> (data service 0.75 and later).</summary>
    public string? LauncherType { get; init; }

    public int? ResourceClassId { get; init; }

    public int? DiskStorage { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    public override string ToString() => Name;
}
