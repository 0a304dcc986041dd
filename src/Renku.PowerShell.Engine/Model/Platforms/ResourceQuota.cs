namespace Renku.PowerShell;

/// <summary>What all sessions of a resource pool may use together.</summary>
public sealed class ResourceQuota
{
    public string? Id { get; init; }

    public double Cpu { get; init; }

    /// <summary>Memory in gigabytes.</summary>
    public int Memory { get; init; }

    public int Gpu { get; init; }

    public override string ToString() => $"{Cpu} CPU, {Memory} GB, {Gpu} GPU";
}
