namespace Renku.PowerShell;

/// <summary>A global session environment as the Renku data API describes it.</summary>
public sealed class GlobalEnvironment : Sessions.IEnvironmentSettings
{
    /// <summary>The environment's ULID.</summary>
    public string Id { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string? Description { get; init; }

    /// <summary>The container image (the API's <c>container_image</c>).</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary>The same value as <see cref="Image"/>, under the API's name, so objects pipe by either name.</summary>
    public string container_image => Image;

    public string DefaultUrl { get; init; } = string.Empty;

    public int Port { get; init; }

    public int Uid { get; init; }

    public int Gid { get; init; }

    public string? WorkingDirectory { get; init; }

    public string? MountDirectory { get; init; }

    /// <summary>Overrides the image ENTRYPOINT when set.</summary>
    public string[]? Command { get; init; }

    /// <summary>Overrides the image CMD when set.</summary>
    public string[]? Args { get; init; }

    public bool StripPathPrefix { get; init; }

    public bool IsArchived { get; init; }

    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>The data API the environment was read from.</summary>
    public Uri? ApiUri { get; init; }

    public override string ToString() => Name;
}
