using System.Text.Json.Serialization;

namespace Renku.PowerShell.Kubernetes;

/// <summary>The parts of an AmaltheaSession (amalthea.dev/v1alpha1) that sessions are read from.</summary>
internal sealed class AmaltheaSessionResource
{
    internal const string Group = "amalthea.dev";
    internal const string Version = "v1alpha1";
    internal const string Plural = "amaltheasessions";
    internal const string LauncherAnnotation = "renku.io/launcher_id";
    internal const string ProjectAnnotation = "renku.io/project_id";
    internal const string UserLabel = "renku.io/safe-username";
    internal const string SessionContainer = "amalthea-session";

    [JsonPropertyName("metadata")]
    public ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public SessionSpecPart? Spec { get; set; }

    [JsonPropertyName("status")]
    public SessionStatusPart? Status { get; set; }

    internal sealed class ObjectMeta
    {
        [JsonPropertyName("name")]
        public string? Name { get; set; }

        [JsonPropertyName("namespace")]
        public string? Namespace { get; set; }

        [JsonPropertyName("creationTimestamp")]
        public DateTimeOffset? CreationTimestamp { get; set; }

        [JsonPropertyName("labels")]
        public Dictionary<string, string>? Labels { get; set; }

        [JsonPropertyName("annotations")]
        public Dictionary<string, string>? Annotations { get; set; }
    }

    internal sealed class SessionSpecPart
    {
        [JsonPropertyName("hibernated")]
        public bool? Hibernated { get; set; }

        [JsonPropertyName("session")]
        public SessionContainerPart? Session { get; set; }
    }

    internal sealed class SessionContainerPart
    {
        [JsonPropertyName("image")]
        public string? Image { get; set; }
    }

    internal sealed class SessionStatusPart
    {
        [JsonPropertyName("state")]
        public string? State { get; set; }

        [JsonPropertyName("url")]
        public string? Url { get; set; }

        [JsonPropertyName("error")]
        public string? Error { get; set; }

        [JsonPropertyName("failingSince")]
        public DateTimeOffset? FailingSince { get; set; }

        [JsonPropertyName("hibernatedSince")]
        public DateTimeOffset? HibernatedSince { get; set; }

        [JsonPropertyName("containerCounts")]
        public ContainerCountsPart? ContainerCounts { get; set; }
    }

    internal sealed class ContainerCountsPart
    {
        [JsonPropertyName("ready")]
        public int? Ready { get; set; }

        [JsonPropertyName("total")]
        public int? Total { get; set; }
    }
}

/// <summary>One page of a list answer.</summary>
internal sealed class AmaltheaSessionList
{
    [JsonPropertyName("metadata")]
    public ListMeta? Metadata { get; set; }

    [JsonPropertyName("items")]
    public List<AmaltheaSessionResource>? Items { get; set; }

    internal sealed class ListMeta
    {
        [JsonPropertyName("continue")]
        public string? Continue { get; set; }

        [JsonPropertyName("resourceVersion")]
        public string? ResourceVersion { get; set; }
    }
}
