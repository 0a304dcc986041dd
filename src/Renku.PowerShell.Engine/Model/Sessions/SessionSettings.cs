using Renku.PowerShell.Sessions;

namespace Renku.PowerShell;

/// <summary>
/// The settings of a session environment an image runs under: what a Renku global environment
/// holds besides its image. Without an environment, <see cref="RenkuDefaults"/> applies: the
/// settings Renku documents for its own images.
/// </summary>
public sealed class SessionSettings
{
    /// <summary>The port Renku's own images are configured for.</summary>
    public const int RenkuImagePort = 8888;

    /// <summary>The uid and gid of the <c>renku</c> user in Renku's images.</summary>
    public const int RenkuUserId = 1000;

    /// <summary>Working and mount directory Renku documents for its images.</summary>
    public const string RenkuWorkDirectory = "/home/renku/work";

    /// <summary>Ports from here up are reserved for Renku's sidecars.</summary>
    public const int FirstReservedPort = 65400;

    /// <summary>The working directory Renku falls back to when neither the environment nor the image names one.</summary>
    public const string FallbackWorkingDirectory = "/home/jovyan/work";

    /// <summary>The environment's name, or null for the defaults.</summary>
    public string? Name { get; init; }

    public int Port { get; init; } = RenkuImagePort;

    public int Uid { get; init; } = RenkuUserId;

    public int Gid { get; init; } = RenkuUserId;

    public string DefaultUrl { get; init; } = "/";

    /// <summary>The environment's working directory, or null to let Renku choose.</summary>
    public string? WorkingDirectory { get; init; } = RenkuWorkDirectory;

    /// <summary>The environment's mount directory, or null to let Renku choose.</summary>
    public string? MountDirectory { get; init; } = RenkuWorkDirectory;

    /// <summary>Replaces the image ENTRYPOINT when set; never empty (Renku holds no empty command).</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image CMD when set; never empty.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Whether Renku's proxy strips the session's base path before the request reaches the server.</summary>
    public bool StripPathPrefix { get; init; }

    /// <summary>True when these are Renku's documented settings rather than a real environment's.</summary>
    public bool IsRenkuDefault { get; init; }

    /// <summary>The settings Renku documents for its own images: port 8888, URL <c>/</c>, uid/gid 1000, <c>/home/renku/work</c>.</summary>
    public static SessionSettings RenkuDefaults => new() { IsRenkuDefault = true };

    /// <summary>
    /// The settings a global environment from Renku's data API gives its sessions: its values
    /// through <see cref="SessionSettingsPatch"/>, where every source of settings goes.
    /// </summary>
    public static SessionSettings Of(GlobalEnvironment environment) => SessionSettingsPatch.From(environment).ToSettings();

    /// <summary>The directories Renku will really use for a session of this environment on an image with <paramref name="imageWorkingDirectory"/>.</summary>
    public SessionLayout ResolveLayout(string? imageWorkingDirectory) => SessionLayout.Resolve(this, imageWorkingDirectory);

    public override string ToString() => Name ?? (IsRenkuDefault ? "(Renku defaults)" : "(environment)");
}
