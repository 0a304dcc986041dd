using System.Collections;
using System.Globalization;

using Renku.PowerShell.Environments;

namespace Renku.PowerShell.Sessions;

/// <summary>Looks up one field of an environment-shaped object by name (any case): false when it has no such field.</summary>
public delegate bool EnvironmentFieldLookup(string name, out object? value);

/// <summary>
/// The session settings an environment, a hashtable or the session-settings parameters give: one
/// field per setting, each either not given (the base's value stays) or given. Every source of
/// settings builds one of these, and <see cref="ApplyTo"/> is the one place values become
/// <see cref="SessionSettings"/>, so the sources cannot disagree.
/// </summary>
/// <remarks>
/// What a given value means follows Renku. Port, uid, gid, default URL and strip path prefix always
/// have a value in a Renku environment, so null means not given. Renku's <c>default_url</c> is a
/// path under the session's base path, so an empty one is the base path itself, <c>/</c>. Renku
/// clears a working or mount directory with <c>""</c> and a command or args with an explicit
/// <c>null</c>, and it never holds an empty command or args (the API wants at least one item): so a
/// directory given null or empty, and a command or args given null or empty, mean none (Renku then
/// uses the image's WORKDIR, ENTRYPOINT and CMD), whatever the base had.
/// </remarks>
public sealed record SessionSettingsPatch
{
    /// <summary>The names, in any case, an environment-shaped object may use for each setting: the PowerShell name first, then the API's.</summary>
    public static class FieldNames
    {
        public static readonly string[] Name = { "Name", "EnvironmentName" };
        public static readonly string[] Port = { "Port" };
        public static readonly string[] Uid = { "Uid" };
        public static readonly string[] Gid = { "Gid" };
        public static readonly string[] DefaultUrl = { "DefaultUrl", "default_url" };
        public static readonly string[] WorkingDirectory = { "WorkingDirectory", "working_directory" };
        public static readonly string[] MountDirectory = { "MountDirectory", "mount_directory" };
        public static readonly string[] Command = { "Command" };
        public static readonly string[] Args = { "Args", "Arguments" };
        public static readonly string[] StripPathPrefix = { "StripPathPrefix", "strip_path_prefix" };
    }

    /// <summary>Nothing given: applied, it changes nothing.</summary>
    public static SessionSettingsPatch Empty { get; } = new();

    /// <summary>The environment's name; given null or empty means none.</summary>
    public Optional<string?> Name { get; init; }

    public int? Port { get; init; }

    public int? Uid { get; init; }

    public int? Gid { get; init; }

    /// <summary>The path a session opens under its base path; given empty means the base path, <c>/</c>.</summary>
    public string? DefaultUrl { get; init; }

    /// <summary>Given null or empty means none: Renku takes the image's WORKDIR.</summary>
    public Optional<string?> WorkingDirectory { get; init; }

    /// <summary>Given null or empty means none: Renku mounts at the working directory.</summary>
    public Optional<string?> MountDirectory { get; init; }

    /// <summary>Replaces the image ENTRYPOINT; given null or empty means none (the ENTRYPOINT stays).</summary>
    public Optional<IReadOnlyList<string>?> Command { get; init; }

    /// <summary>Replaces the image CMD; given null or empty means none.</summary>
    public Optional<IReadOnlyList<string>?> Args { get; init; }

    public bool? StripPathPrefix { get; init; }

    /// <summary>True when no setting is given.</summary>
    public bool IsEmpty =>
        !Name.IsGiven && Port is null && Uid is null && Gid is null && DefaultUrl is null && !WorkingDirectory.IsGiven
        && !MountDirectory.IsGiven && !Command.IsGiven && !Args.IsGiven && StripPathPrefix is null;

    /// <summary>
    /// What an environment that names only some settings has for the rest: Renku's documented
    /// port, uid/gid, URL and strip path prefix, and no working or mount directory (Renku then
    /// works in the image's WORKDIR), command or args.
    /// </summary>
    public static SessionSettings EnvironmentBase => new() { WorkingDirectory = null, MountDirectory = null };

    /// <summary>Every setting of a global environment from Renku's data API.</summary>
    public static SessionSettingsPatch From(GlobalEnvironment environment) => FromEnvironment(environment);

    /// <summary>Every setting of an environment file's entry (what Sync would send).</summary>
    public static SessionSettingsPatch From(EnvironmentSpec spec) => FromEnvironment(spec);

    private static SessionSettingsPatch FromEnvironment(IEnvironmentSettings environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new SessionSettingsPatch
        {
            Name = environment.Name,
            Port = environment.Port,
            Uid = environment.Uid,
            Gid = environment.Gid,
            DefaultUrl = environment.DefaultUrl,
            WorkingDirectory = environment.WorkingDirectory,
            MountDirectory = environment.MountDirectory,
            Command = environment.Command,
            Args = environment.Args,
            StripPathPrefix = environment.StripPathPrefix,
        };
    }

    /// <summary>
    /// The settings an environment-shaped object holds (a hashtable, a JSON object, a
    /// pscustomobject), by the names of <see cref="FieldNames"/>. A field that is there is given,
    /// even when null. Numbers may be text; a flag is <c>true</c> or the text "true"; a single text
    /// is a one-item command or args.
    /// </summary>
    /// <exception cref="SessionSettingsException">A port, uid or gid that is not a whole number.</exception>
    public static SessionSettingsPatch Read(EnvironmentFieldLookup field)
    {
        ArgumentNullException.ThrowIfNull(field);
        Optional<object?> Find(string[] names)
        {
            foreach (string name in names)
            {
                if (field(name, out object? value))
                {
                    return Optional.Of(value);
                }
            }

            return Optional<object?>.None;
        }

        Optional<string?> Text(string[] names) => Find(names) is { IsGiven: true } found ? Optional.Of(TextOf(found.Value)) : default;

        int? Number(string[] names)
        {
            object? value = Find(names).Value;
            if (value is null)
            {
                return null;
            }

            return int.TryParse(TextOf(value), NumberStyles.Integer, CultureInfo.InvariantCulture, out int number)
                ? number
                : throw new SessionSettingsException($"The environment's {names[0]} is '{value}', not a whole number.");
        }

        Optional<IReadOnlyList<string>?> List(string[] names) => Find(names) is { IsGiven: true } found ? Optional.Of(ListOf(found.Value)) : default;

        return new SessionSettingsPatch
        {
            Name = Text(FieldNames.Name),
            Port = Number(FieldNames.Port),
            Uid = Number(FieldNames.Uid),
            Gid = Number(FieldNames.Gid),
            DefaultUrl = Text(FieldNames.DefaultUrl).Value,
            WorkingDirectory = Text(FieldNames.WorkingDirectory),
            MountDirectory = Text(FieldNames.MountDirectory),
            Command = List(FieldNames.Command),
            Args = List(FieldNames.Args),
            StripPathPrefix = Find(FieldNames.StripPathPrefix).Value is object flag ? flag is bool b ? b : string.Equals(TextOf(flag), "true", StringComparison.OrdinalIgnoreCase) : null,
        };
    }

    /// <summary>As <see cref="Read(EnvironmentFieldLookup)"/>, from a dictionary (keys in any case).</summary>
    public static SessionSettingsPatch Read(IReadOnlyDictionary<string, object?> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        return Read((string name, out object? value) =>
        {
            foreach (KeyValuePair<string, object?> entry in fields)
            {
                if (string.Equals(entry.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = entry.Value;
                    return true;
                }
            }

            value = null;
            return false;
        });
    }

    /// <summary>This patch with what <paramref name="over"/> gives over it (parameters given over an environment).</summary>
    public SessionSettingsPatch With(SessionSettingsPatch over)
    {
        ArgumentNullException.ThrowIfNull(over);
        return new SessionSettingsPatch
        {
            Name = over.Name.IsGiven ? over.Name : Name,
            Port = over.Port ?? Port,
            Uid = over.Uid ?? Uid,
            Gid = over.Gid ?? Gid,
            DefaultUrl = over.DefaultUrl ?? DefaultUrl,
            WorkingDirectory = over.WorkingDirectory.IsGiven ? over.WorkingDirectory : WorkingDirectory,
            MountDirectory = over.MountDirectory.IsGiven ? over.MountDirectory : MountDirectory,
            Command = over.Command.IsGiven ? over.Command : Command,
            Args = over.Args.IsGiven ? over.Args : Args,
            StripPathPrefix = over.StripPathPrefix ?? StripPathPrefix,
        };
    }

    /// <summary>
    /// The settings these values describe on their own: Renku's documented settings
    /// (<see cref="SessionSettings.RenkuDefaults"/>) when nothing is given, else an environment
    /// with these values over <see cref="EnvironmentBase"/>.
    /// </summary>
    public SessionSettings ToSettings() => IsEmpty ? SessionSettings.RenkuDefaults : ApplyTo(EnvironmentBase);

    /// <summary><paramref name="settings"/> with the values given here over them; the same settings when nothing is given.</summary>
    public SessionSettings ApplyTo(SessionSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (IsEmpty)
        {
            return settings;
        }

        return new SessionSettings
        {
            Name = Name.IsGiven ? NoneIfEmpty(Name.Value) : settings.Name,
            Port = Port ?? settings.Port,
            Uid = Uid ?? settings.Uid,
            Gid = Gid ?? settings.Gid,
            DefaultUrl = DefaultUrl is null ? settings.DefaultUrl : DefaultUrl.Length == 0 ? "/" : DefaultUrl,
            WorkingDirectory = WorkingDirectory.IsGiven ? NoneIfEmpty(WorkingDirectory.Value) : settings.WorkingDirectory,
            MountDirectory = MountDirectory.IsGiven ? NoneIfEmpty(MountDirectory.Value) : settings.MountDirectory,
            Command = Command.IsGiven ? NoneIfEmpty(Command.Value) : settings.Command,
            Args = Args.IsGiven ? NoneIfEmpty(Args.Value) : settings.Args,
            StripPathPrefix = StripPathPrefix ?? settings.StripPathPrefix,
        };
    }

    private static string? TextOf(object? value) => value switch
    {
        null => null,
        string text => text,
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };

    private static IReadOnlyList<string>? ListOf(object? value) => value switch
    {
        null => null,
        string single => new[] { single },
        IEnumerable items => items.Cast<object?>().Select(i => TextOf(i) ?? string.Empty).ToArray(),
        _ => new[] { TextOf(value) ?? string.Empty },
    };

    private static string? NoneIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static IReadOnlyList<string>? NoneIfEmpty(IReadOnlyList<string>? value) => value is null || value.Count == 0 ? null : value;
}
