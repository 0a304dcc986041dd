using System.Text.Json.Serialization;

namespace Renku.PowerShell.RenkuApi;

// GET /resource_pools (crc_api.spec.yaml ResourcePoolWithIdFiltered; also ResourcePoolWithId).
internal sealed class ResourcePoolJson
{
    [JsonPropertyName("id")] public int Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("platform")] public string? Platform { get; set; }

    [JsonPropertyName("default")] public bool? Default { get; set; }

    [JsonPropertyName("public")] public bool? Public { get; set; }

    [JsonPropertyName("quota")] public QuotaJson? Quota { get; set; }

    [JsonPropertyName("cpu_limit_factor")] public double? CpuLimitFactor { get; set; }

    [JsonPropertyName("idle_threshold")] public int? IdleThreshold { get; set; }

    [JsonPropertyName("hibernation_threshold")] public int? HibernationThreshold { get; set; }

    [JsonPropertyName("cluster_id")] public string? ClusterId { get; set; }

    [JsonPropertyName("classes")] public List<ResourceClassJson>? Classes { get; set; }

    public ResourcePool ToPool()
    {
        string name = Name ?? string.Empty;
        string platform = Platform ?? string.Empty;
        return new ResourcePool
        {
            Id = Id,
            Name = name,
            Platform = platform,
            IsDefault = Default ?? false,
            IsPublic = Public ?? false,
            Quota = Quota?.ToQuota(),
            CpuLimitFactor = CpuLimitFactor,
            IdleThreshold = IdleThreshold,
            HibernationThreshold = HibernationThreshold,
            ClusterId = ClusterId,
            Classes = (Classes ?? new()).Select(c => c.ToClass(Id, name, platform)).ToList(),
        };
    }
}

internal sealed class ResourceClassJson
{
    [JsonPropertyName("id")] public int Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("cpu")] public double Cpu { get; set; }

    [JsonPropertyName("memory")] public int Memory { get; set; }

    [JsonPropertyName("gpu")] public int Gpu { get; set; }

    [JsonPropertyName("max_storage")] public int MaxStorage { get; set; }

    [JsonPropertyName("default_storage")] public int DefaultStorage { get; set; }

    [JsonPropertyName("default")] public bool? Default { get; set; }

    [JsonPropertyName("matching")] public bool? Matching { get; set; }

    [JsonPropertyName("tolerations")] public List<string>? Tolerations { get; set; }

    [JsonPropertyName("node_affinities")] public List<NodeAffinityJson>? NodeAffinities { get; set; }

    public ResourceClass ToClass(int poolId, string poolName, string platform) => new()
    {
        Id = Id,
        Name = Name ?? string.Empty,
        PoolId = poolId,
        PoolName = poolName,
        Platform = platform,
        Cpu = Cpu,
        Memory = Memory,
        Gpu = Gpu,
        MaxStorage = MaxStorage,
        DefaultStorage = DefaultStorage,
        IsDefault = Default ?? false,
        Matching = Matching,
        Tolerations = Tolerations ?? new(),
        NodeAffinities = (NodeAffinities ?? new()).Select(a => (a.Key ?? string.Empty) + (a.RequiredDuringScheduling == true ? "!" : string.Empty)).ToList(),
    };
}

internal sealed class NodeAffinityJson
{
    [JsonPropertyName("key")] public string? Key { get; set; }

    [JsonPropertyName("required_during_scheduling")] public bool? RequiredDuringScheduling { get; set; }
}

internal sealed class QuotaJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("cpu")] public double Cpu { get; set; }

    [JsonPropertyName("memory")] public int Memory { get; set; }

    [JsonPropertyName("gpu")] public int Gpu { get; set; }

    public ResourceQuota ToQuota() => new() { Id = Id, Cpu = Cpu, Memory = Memory, Gpu = Gpu };
}
