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

    /// <summary>Replaces the image ENTRYPOINT when set.</summary>
    public IReadOnlyList<string>? Command { get; init; }

    /// <summary>Replaces the image CMD when set.</summary>
    public IReadOnlyList<string>? Args { get; init; }

    /// <summary>Whether Renku's proxy strips the session's base path before the request reaches the server.</summary>
    public bool StripPathPrefix { get; init; }

    /// <summary>True when these are Renku's documented settings rather than a real environment's.</summary>
    public bool IsRenkuDefault { get; init; }

    /// <summary>The settings Renku documents for its own images: port 8888, URL <c>/</c>, uid/gid 1000, <c>/home/renku/work</c>.</summary>
    public static SessionSettings RenkuDefaults => new() { IsRenkuDefault = true };

    /// <summary>
    /// The settings an admin describes by the values given (by property name: Name, Port, Uid,
    /// Gid, DefaultUrl, WorkingDirectory, MountDirectory, Command, Args, StripPathPrefix): Renku's
    /// documented settings when nothing is given, else an environment with those values over
    /// Renku's defaults for the rest, without working or mount directory unless given.
    /// </summary>
    public static SessionSettings FromGiven(IReadOnlyDictionary<string, object?> given) =>
        given.Count == 0 ? RenkuDefaults : new SessionSettings { WorkingDirectory = null, MountDirectory = null }.Overlay(given);

    /// <summary>The settings a global environment from Renku's data API gives its sessions (an empty directory means none).</summary>
    public static SessionSettings Of(GlobalEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SessionSettings
        {
            Name = environment.Name,
            Port = environment.Port,
            Uid = environment.Uid,
            Gid = environment.Gid,
            DefaultUrl = string.IsNullOrEmpty(environment.DefaultUrl) ? "/" : environment.DefaultUrl,
            WorkingDirectory = NoneIfEmpty(environment.WorkingDirectory),
            MountDirectory = NoneIfEmpty(environment.MountDirectory),
            Command = NoneIfEmpty(environment.Command),
            Args = NoneIfEmpty(environment.Args),
            StripPathPrefix = environment.StripPathPrefix,
        };
    }

    /// <summary>
    /// These settings with the values given over them (keys as in <see cref="FromGiven"/>). An
    /// empty directory, command or argument list means none; an empty default URL keeps this one.
    /// </summary>
    public SessionSettings Overlay(IReadOnlyDictionary<string, object?> given)
    {
        bool Has(string name, out object? value) => given.TryGetValue(name, out value);
        return new SessionSettings
        {
            Name = Has(nameof(Name), out object? name) ? name as string : Name,
            Port = Has(nameof(Port), out object? port) && port is int p ? p : Port,
            Uid = Has(nameof(Uid), out object? uid) && uid is int u ? u : Uid,
            Gid = Has(nameof(Gid), out object? gid) && gid is int g ? g : Gid,
            DefaultUrl = Has(nameof(DefaultUrl), out object? url) && url is string { Length: > 0 } text ? text : DefaultUrl,
            WorkingDirectory = Has(nameof(WorkingDirectory), out object? working) ? NoneIfEmpty(working as string) : WorkingDirectory,
            MountDirectory = Has(nameof(MountDirectory), out object? mount) ? NoneIfEmpty(mount as string) : MountDirectory,
            Command = Has(nameof(Command), out object? command) ? NoneIfEmpty(command as IReadOnlyList<string>) : Command,
            Args = Has(nameof(Args), out object? args) ? NoneIfEmpty(args as IReadOnlyList<string>) : Args,
            StripPathPrefix = Has(nameof(StripPathPrefix), out object? strip) ? strip is true : StripPathPrefix,
        };
    }

    /// <summary>The directories Renku will really use for a session of this environment on an image with <paramref name="imageWorkingDirectory"/>.</summary>
    public SessionLayout ResolveLayout(string? imageWorkingDirectory) => SessionLayout.Resolve(this, imageWorkingDirectory);

    private static string? NoneIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static IReadOnlyList<string>? NoneIfEmpty(IReadOnlyList<string>? value) => value is null || value.Count == 0 ? null : value;

    public override string ToString() => Name ?? (IsRenkuDefault ? "(Renku defaults)" : "(environment)");
}
