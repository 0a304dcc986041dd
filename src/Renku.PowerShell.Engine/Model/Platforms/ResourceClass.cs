namespace Renku.PowerShell;

/// <summary>A resource class of a pool: what a session that picks it gets, and where it runs.</summary>
public sealed class ResourceClass
{
    public int Id { get; init; }

    public string Name { get; init; } = string.Empty;

    public int PoolId { get; init; }

    public string PoolName { get; init; } = string.Empty;

    /// <summary>The platform of the class's pool: sessions of this class run on it.</summary>
    public string Platform { get; init; } = string.Empty;

    /// <summary>CPU cores requested.</summary>
    public double Cpu { get; init; }

    /// <summary>Memory in gigabytes.</summary>
    public int Memory { get; init; }

    public int Gpu { get; init; }

    /// <summary>The largest disk a session may ask for, in gigabytes.</summary>
    public int MaxStorage { get; init; }

    /// <summary>The disk a session gets unless it asks, in gigabytes.</summary>
    public int DefaultStorage { get; init; }

    /// <summary>The class launchers of the pool get when they name none.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Whether the class matches the filter of the listing (as the API answers it), or null.</summary>
    public bool? Matching { get; init; }

    public IReadOnlyList<string> Tolerations { get; init; } = Array.Empty<string>();

    /// <summary>Node affinity labels; a trailing <c>!</c> marks one required during scheduling.</summary>
    public IReadOnlyList<string> NodeAffinities { get; init; } = Array.Empty<string>();

    public override string ToString() => PoolName + "/" + Name;
}
