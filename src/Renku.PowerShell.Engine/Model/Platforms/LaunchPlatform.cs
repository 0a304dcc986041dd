namespace Renku.PowerShell;

/// <summary>
/// Where a launcher's sessions run: the resource class it names (or, when it names none, the
/// default class of the default pool), that class's pool, and the pool's platform.
/// </summary>
public sealed class LaunchPlatform
{
    public string LauncherId { get; init; } = string.Empty;

    public string LauncherName { get; init; } = string.Empty;

    public string? ProjectId { get; init; }

    /// <summary>The launcher type as the data service sends it (<c>interactive</c>, <c>non-interactive</c>, <c>app</c>, ...).</summary>
    public string? LauncherType { get; init; }

    /// <summary>The class whose pool decides the platform (the one the launcher names, or the default one).</summary>
    public int? ResourceClassId { get; init; }

    public string? ResourceClassName { get; init; }

    public int? PoolId { get; init; }

    public string? PoolName { get; init; }

    /// <summary>The pool's platform (<c>linux/arm64</c>), or null when the class is not among the pools the caller can read.</summary>
    public string? Platform { get; init; }

    /// <summary>True when the launcher names no class, so Renku uses the default pool's default class.</summary>
    public bool ByDefault { get; init; }

    public override string ToString() =>
        Platform is null
            ? $"{LauncherName}: resource class {ResourceClassId?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(default)"} not found"
            : $"{LauncherName} on {PoolName} ({Platform}{(ByDefault ? ", the default pool" : string.Empty)})";
}
