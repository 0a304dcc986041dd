namespace Renku.PowerShell;

/// <summary>
/// A Renku resource pool (the data service's <c>crc</c> API): the classes sessions may ask for,
/// its quota, and the platform every session of the pool runs on.
/// </summary>
public sealed class ResourcePool
{
    public int Id { get; init; }

    public string Name { get; init; } = string.Empty;

    /// <summary>The platform of the pool's nodes (<c>linux/amd64</c> or <c>linux/arm64</c>): every session of the pool runs on it.</summary>
    public string Platform { get; init; } = string.Empty;

    /// <summary>The pool launchers use when they name no resource class.</summary>
    public bool IsDefault { get; init; }

    /// <summary>Every user may use the pool.</summary>
    public bool IsPublic { get; init; }

    public ResourceQuota? Quota { get; init; }

    /// <summary>Sessions get a CPU limit of their request times this factor (null: no limit set this way).</summary>
    public double? CpuLimitFactor { get; init; }

    /// <summary>Seconds of idleness before a session is hibernated, when the pool sets it.</summary>
    public int? IdleThreshold { get; init; }

    /// <summary>Seconds a hibernated session is kept before it is deleted, when the pool sets it.</summary>
    public int? HibernationThreshold { get; init; }

    /// <summary>The cluster the pool's sessions run in, when not the main one.</summary>
    public string? ClusterId { get; init; }

    public IReadOnlyList<ResourceClass> Classes { get; init; } = Array.Empty<ResourceClass>();

    /// <summary>The class marked default in the pool, or null.</summary>
    public ResourceClass? DefaultClass => Classes.FirstOrDefault(c => c.IsDefault);

    public int ClassCount => Classes.Count;

    public override string ToString() => Name;
}
