namespace Renku.PowerShell.Sessions;

/// <summary>
/// The session settings a whole environment carries, by the same names in Renku's data API
/// (<see cref="GlobalEnvironment"/>) and in an environment file (<see cref="Environments.EnvironmentSpec"/>):
/// what <see cref="SessionSettingsPatch.From(GlobalEnvironment)"/> and its twin read, in one place.
/// </summary>
internal interface IEnvironmentSettings
{
    string Name { get; }

    int Port { get; }

    int Uid { get; }

    int Gid { get; }

    string DefaultUrl { get; }

    string? WorkingDirectory { get; }

    string? MountDirectory { get; }

    string[]? Command { get; }

    string[]? Args { get; }

    bool StripPathPrefix { get; }
}
