using System.Text.Json.Serialization;

namespace Renku.PowerShell.RenkuApi;

// The data API's JSON shapes (session_api.spec.yaml, users_api.spec.yaml). Nullable everywhere:
// the server leaves out fields whose value is null, even required ones.
internal sealed class EnvironmentJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("creation_date")] public DateTimeOffset? CreationDate { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }

    [JsonPropertyName("container_image")] public string? ContainerImage { get; set; }

    [JsonPropertyName("default_url")] public string? DefaultUrl { get; set; }

    [JsonPropertyName("uid")] public int? Uid { get; set; }

    [JsonPropertyName("gid")] public int? Gid { get; set; }

    [JsonPropertyName("working_directory")] public string? WorkingDirectory { get; set; }

    [JsonPropertyName("mount_directory")] public string? MountDirectory { get; set; }

    [JsonPropertyName("port")] public int? Port { get; set; }

    [JsonPropertyName("command")] public string[]? Command { get; set; }

    [JsonPropertyName("args")] public string[]? Args { get; set; }

    [JsonPropertyName("is_archived")] public bool? IsArchived { get; set; }

    [JsonPropertyName("strip_path_prefix")] public bool? StripPathPrefix { get; set; }

    [JsonPropertyName("environment_kind")] public string? EnvironmentKind { get; set; }

    [JsonPropertyName("environment_image_source")] public string? EnvironmentImageSource { get; set; }

    [JsonPropertyName("build_parameters")] public BuildParametersJson? BuildParameters { get; set; }

    public GlobalEnvironment ToEnvironment(Uri apiUri) => new()
    {
        Id = Id ?? string.Empty,
        Name = Name ?? string.Empty,
        Description = Description,
        Image = ContainerImage ?? string.Empty,
        DefaultUrl = DefaultUrl ?? string.Empty,
        Port = Port ?? 0,
        Uid = Uid ?? 0,
        Gid = Gid ?? 0,
        WorkingDirectory = string.IsNullOrEmpty(WorkingDirectory) ? null : WorkingDirectory,
        MountDirectory = string.IsNullOrEmpty(MountDirectory) ? null : MountDirectory,
        Command = Command,
        Args = Args,
        StripPathPrefix = StripPathPrefix ?? false,
        IsArchived = IsArchived ?? false,
        CreationDate = CreationDate,
        ApiUri = apiUri,
    };
}

internal sealed class LauncherJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("project_id")] public string? ProjectId { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("creation_date")] public DateTimeOffset? CreationDate { get; set; }

    [JsonPropertyName("description")] public string? Description { get; set; }

    [JsonPropertyName("environment")] public EnvironmentJson? Environment { get; set; }

    [JsonPropertyName("resource_class_id")] public int? ResourceClassId { get; set; }

    [JsonPropertyName("disk_storage")] public int? DiskStorage { get; set; }

    [JsonPropertyName("launcher_type")] public string? LauncherType { get; set; }

    public SessionLauncher ToLauncher() => new()
    {
        Id = Id ?? string.Empty,
        ProjectId = ProjectId ?? string.Empty,
        Name = Name ?? string.Empty,
        CreationDate = CreationDate,
        Description = Description,
        EnvironmentId = Environment?.Id,
        EnvironmentKind = Environment?.EnvironmentKind,
        EnvironmentImageSource = Environment?.EnvironmentImageSource,
        EnvironmentName = Environment?.Name,
        EnvironmentImage = Environment?.ContainerImage,
        ResourceClassId = ResourceClassId,
        DiskStorage = DiskStorage,
        LauncherType = LauncherType,
        BuildRepository = Environment?.BuildParameters?.Repository,
        BuilderVariant = Environment?.BuildParameters?.BuilderVariant,
        FrontendVariant = Environment?.BuildParameters?.FrontendVariant,
    };
}

// A build environment's parameters (only what a listing shows; the rest is ignored).
internal sealed class BuildParametersJson
{
    [JsonPropertyName("repository")] public string? Repository { get; set; }

    [JsonPropertyName("builder_variant")] public string? BuilderVariant { get; set; }

    [JsonPropertyName("frontend_variant")] public string? FrontendVariant { get; set; }
}

internal sealed class UserJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("username")] public string? UserName { get; set; }

    [JsonPropertyName("email")] public string? Email { get; set; }

    [JsonPropertyName("first_name")] public string? FirstName { get; set; }

    [JsonPropertyName("last_name")] public string? LastName { get; set; }

    [JsonPropertyName("is_admin")] public bool? IsAdmin { get; set; }
}

internal sealed class VersionJson
{
    [JsonPropertyName("version")] public string? Version { get; set; }
}

// GET /sessions/images (notebooks_api.spec.yaml ImageCheckResponse).
internal sealed class ImageCheckJson
{
    [JsonPropertyName("accessible")] public bool? Accessible { get; set; }

    [JsonPropertyName("platforms")] public List<ImagePlatformJson>? Platforms { get; set; }

    [JsonPropertyName("connection")] public ImageConnectionJson? Connection { get; set; }

    [JsonPropertyName("provider")] public ImageProviderJson? Provider { get; set; }

    public PlatformImageCheck ToCheck(string image) => new()
    {
        Image = image,
        Accessible = Accessible ?? false,
        Platforms = (Platforms ?? new()).Where(p => p.Os is not null && p.Architecture is not null)
            .Select(p => p.Os + "/" + p.Architecture + (string.IsNullOrEmpty(p.Variant) ? string.Empty : "/" + p.Variant)).ToList(),
        ConnectionId = Connection?.Id,
        ConnectionStatus = Connection?.Status,
        ProviderName = Provider?.Name,
        ProviderUrl = Provider?.Url,
    };
}

internal sealed class ImagePlatformJson
{
    [JsonPropertyName("architecture")] public string? Architecture { get; set; }

    [JsonPropertyName("os")] public string? Os { get; set; }

    [JsonPropertyName("variant")] public string? Variant { get; set; }
}

internal sealed class ImageConnectionJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("provider_id")] public string? ProviderId { get; set; }

    [JsonPropertyName("status")] public string? Status { get; set; }
}

internal sealed class ImageProviderJson
{
    [JsonPropertyName("id")] public string? Id { get; set; }

    [JsonPropertyName("name")] public string? Name { get; set; }

    [JsonPropertyName("url")] public string? Url { get; set; }
}
