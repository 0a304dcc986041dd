using System.Management.Automation;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// The session settings a cmdlet takes as parameters (an environment's port, uid/gid, default URL,
/// directories, command, arguments and strip path prefix), read through
/// <see cref="SessionSettingsParameterValues.Patch"/>.
/// </summary>
internal interface ISessionSettingsParameters
{
    int? Port { get; }

    int? Uid { get; }

    int? Gid { get; }

    string? DefaultUrl { get; }

    string? WorkingDirectory { get; }

    string? MountDirectory { get; }

    string[]? Command { get; }

    string[]? Arguments { get; }

    SwitchParameter StripPathPrefix { get; }
}
