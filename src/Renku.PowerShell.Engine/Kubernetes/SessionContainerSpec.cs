namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// What Renku would run for an environment: the input of the cluster session check. The values
/// are those of a global environment; leave optional ones null to get Renku's defaults.
/// </summary>
public sealed class SessionContainerSpec
{
    public required string Image { get; init; }

    /// <summary>The port the session server listens on (1..65399).</summary>
    public int Port { get; init; } = 8080;

    public long Uid { get; init; } = 1000;

    public long Gid { get; init; } = 1000;

    /// <summary>The environment's working directory, if set.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>The environment's mount directory, if set.</summary>
    public string? MountDirectory { get; init; }

    /// <summary>The image's WORKDIR, when known (used when the environment sets no working directory).</summary>
    public string? ImageWorkingDirectory { get; init; }

    /// <summary>Where Renku sends users, under the session's base path (the environment's default URL).</summary>
    public string DefaultUrl { get; init; } = "/";

    /// <summary>Overrides the image ENTRYPOINT.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Overrides the image CMD.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Goes into RENKU_PROJECT_ID.</summary>
    public string? ProjectId { get; init; }

    /// <summary>Goes into RENKU_LAUNCHER_ID.</summary>
    public string? LauncherId { get; init; }
}
