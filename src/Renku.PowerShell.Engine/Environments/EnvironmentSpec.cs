using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Environments;

/// <summary>
/// A desired global environment: what New-RenkuGlobalEnvironment creates and what an environment
/// file lists. Unset values take the settings Renku documents for its own images.
/// </summary>
public sealed class EnvironmentSpec : IEnvironmentSettings
{
    /// <summary>Renku's documented default URL for its images (the API's own default, /lab, does not suit them).</summary>
    public const string RenkuDefaultUrl = "/";

    /// <summary>Renku's documented port for its images (the API's own default is 8080).</summary>
    public const int RenkuPort = 8888;

    public const int RenkuUid = 1000;

    public const int RenkuGid = 1000;

    /// <summary>Renku's documented working and mount directory.</summary>
    public const string RenkuWorkDirectory = "/home/renku/work";

    public string Name { get; set; } = string.Empty;

    public string? Description { get; set; }

    public string Image { get; set; } = string.Empty;

    public string DefaultUrl { get; set; } = RenkuDefaultUrl;

    public int Port { get; set; } = RenkuPort;

    public int Uid { get; set; } = RenkuUid;

    public int Gid { get; set; } = RenkuGid;

    /// <summary>Null means "not set" (the image WORKDIR applies).</summary>
    public string? WorkingDirectory { get; set; } = RenkuWorkDirectory;

    /// <summary>Null means "not set" (the working directory applies).</summary>
    public string? MountDirectory { get; set; } = RenkuWorkDirectory;

    public string[]? Command { get; set; }

    public string[]? Args { get; set; }

    public bool StripPathPrefix { get; set; }

    public bool IsArchived { get; set; }

    /// <summary>The value of one API field, for diffs and validation.</summary>
    public object? Get(string field) => field switch
    {
        EnvironmentFields.Name => Name,
        EnvironmentFields.Description => Description,
        EnvironmentFields.ContainerImage => Image,
        EnvironmentFields.DefaultUrl => DefaultUrl,
        EnvironmentFields.Port => Port,
        EnvironmentFields.Uid => Uid,
        EnvironmentFields.Gid => Gid,
        EnvironmentFields.WorkingDirectory => WorkingDirectory,
        EnvironmentFields.MountDirectory => MountDirectory,
        EnvironmentFields.Command => Command,
        EnvironmentFields.Args => Args,
        EnvironmentFields.StripPathPrefix => StripPathPrefix,
        EnvironmentFields.IsArchived => IsArchived,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown environment field."),
    };

    /// <summary>The desired state of an existing environment (for export).</summary>
    public static EnvironmentSpec From(GlobalEnvironment environment) => new()
    {
        Name = environment.Name,
        Description = environment.Description,
        Image = environment.Image,
        DefaultUrl = environment.DefaultUrl,
        Port = environment.Port,
        Uid = environment.Uid,
        Gid = environment.Gid,
        WorkingDirectory = environment.WorkingDirectory,
        MountDirectory = environment.MountDirectory,
        Command = environment.Command,
        Args = environment.Args,
        StripPathPrefix = environment.StripPathPrefix,
        IsArchived = environment.IsArchived,
    };

    /// <summary>The value of one API field of an environment read from Renku.</summary>
    public static object? Get(GlobalEnvironment environment, string field) => field switch
    {
        EnvironmentFields.Name => environment.Name,
        EnvironmentFields.Description => environment.Description,
        EnvironmentFields.ContainerImage => environment.Image,
        EnvironmentFields.DefaultUrl => environment.DefaultUrl,
        EnvironmentFields.Port => environment.Port,
        EnvironmentFields.Uid => environment.Uid,
        EnvironmentFields.Gid => environment.Gid,
        EnvironmentFields.WorkingDirectory => environment.WorkingDirectory,
        EnvironmentFields.MountDirectory => environment.MountDirectory,
        EnvironmentFields.Command => environment.Command,
        EnvironmentFields.Args => environment.Args,
        EnvironmentFields.StripPathPrefix => environment.StripPathPrefix,
        EnvironmentFields.IsArchived => environment.IsArchived,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, "Unknown environment field."),
    };
}
