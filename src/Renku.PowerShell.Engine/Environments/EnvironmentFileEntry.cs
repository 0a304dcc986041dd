using System.Text.Json.Serialization;

using YamlDotNet.Serialization;

namespace Renku.PowerShell.Environments;

/// <summary>
/// One environment in an environments file, with the data API's field names. A missing value takes
/// Renku's documented setting; an empty directory means "none".
/// </summary>
internal sealed class EnvironmentFileEntry
{
    [YamlMember(Alias = "name", Order = 0)][JsonPropertyName("name")][JsonPropertyOrder(0)] public string? Name { get; set; }

    [YamlMember(Alias = "description", Order = 1)][JsonPropertyName("description")][JsonPropertyOrder(1)] public string? Description { get; set; }

    [YamlMember(Alias = "container_image", Order = 2)][JsonPropertyName("container_image")][JsonPropertyOrder(2)] public string? ContainerImage { get; set; }

    [YamlMember(Alias = "default_url", Order = 3)][JsonPropertyName("default_url")][JsonPropertyOrder(3)] public string? DefaultUrl { get; set; }

    [YamlMember(Alias = "port", Order = 4)][JsonPropertyName("port")][JsonPropertyOrder(4)] public int? Port { get; set; }

    [YamlMember(Alias = "uid", Order = 5)][JsonPropertyName("uid")][JsonPropertyOrder(5)] public int? Uid { get; set; }

    [YamlMember(Alias = "gid", Order = 6)][JsonPropertyName("gid")][JsonPropertyOrder(6)] public int? Gid { get; set; }

    [YamlMember(Alias = "working_directory", Order = 7)][JsonPropertyName("working_directory")][JsonPropertyOrder(7)] public string? WorkingDirectory { get; set; }

    [YamlMember(Alias = "mount_directory", Order = 8)][JsonPropertyName("mount_directory")][JsonPropertyOrder(8)] public string? MountDirectory { get; set; }

    [YamlMember(Alias = "command", Order = 9)][JsonPropertyName("command")][JsonPropertyOrder(9)] public string[]? Command { get; set; }

    [YamlMember(Alias = "args", Order = 10)][JsonPropertyName("args")][JsonPropertyOrder(10)] public string[]? Args { get; set; }

    [YamlMember(Alias = "strip_path_prefix", Order = 11)][JsonPropertyName("strip_path_prefix")][JsonPropertyOrder(11)] public bool? StripPathPrefix { get; set; }

    [YamlMember(Alias = "is_archived", Order = 12)][JsonPropertyName("is_archived")][JsonPropertyOrder(12)] public bool? IsArchived { get; set; }

    public EnvironmentSpec ToSpec() => new()
    {
        Name = Name ?? string.Empty,
        Description = string.IsNullOrEmpty(Description) ? null : Description,
        Image = ContainerImage ?? string.Empty,
        DefaultUrl = DefaultUrl ?? EnvironmentSpec.RenkuDefaultUrl,
        Port = Port ?? EnvironmentSpec.RenkuPort,
        Uid = Uid ?? EnvironmentSpec.RenkuUid,
        Gid = Gid ?? EnvironmentSpec.RenkuGid,
        WorkingDirectory = WorkingDirectory is null ? EnvironmentSpec.RenkuWorkDirectory : WorkingDirectory.Length == 0 ? null : WorkingDirectory,
        MountDirectory = MountDirectory is null ? EnvironmentSpec.RenkuWorkDirectory : MountDirectory.Length == 0 ? null : MountDirectory,
        Command = Command,
        Args = Args,
        StripPathPrefix = StripPathPrefix ?? false,
        IsArchived = IsArchived ?? false,
    };

    /// <summary>Every value written out, so that reading the file back gives the same environment.</summary>
    public static EnvironmentFileEntry From(GlobalEnvironment environment) => new()
    {
        Name = environment.Name,
        Description = environment.Description,
        ContainerImage = environment.Image,
        DefaultUrl = environment.DefaultUrl,
        Port = environment.Port,
        Uid = environment.Uid,
        Gid = environment.Gid,
        WorkingDirectory = environment.WorkingDirectory ?? string.Empty,
        MountDirectory = environment.MountDirectory ?? string.Empty,
        Command = environment.Command,
        Args = environment.Args,
        StripPathPrefix = environment.StripPathPrefix,
        IsArchived = environment.IsArchived ? true : null,
    };
}

/// <summary>The whole file: <c>environments:</c> followed by the list.</summary>
internal sealed class EnvironmentFileDocument
{
    [YamlMember(Alias = "environments")][JsonPropertyName("environments")] public List<EnvironmentFileEntry>? Environments { get; set; }
}
