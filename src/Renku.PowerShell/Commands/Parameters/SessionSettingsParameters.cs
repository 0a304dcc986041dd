using System.Management.Automation;

using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// The settings a session check starts an image under (an environment's port, uid/gid, default
/// URL, directories, command and arguments, strip path prefix) and how long it waits for
/// readiness: Build-RenkuImage -Verify and Test-RenkuImageCompliance (which binds them from piped
/// environments and hashtables) take them.
/// </summary>
public interface ISessionSettingsParameters : IParameterGroup
{
    /// <inheritdoc cref="SessionSettingsParameters.Port"/>
    int? Port { get; }

    /// <inheritdoc cref="SessionSettingsParameters.Uid"/>
    int? Uid { get; }

    /// <inheritdoc cref="SessionSettingsParameters.Gid"/>
    int? Gid { get; }

    /// <inheritdoc cref="SessionSettingsParameters.DefaultUrl"/>
    string? DefaultUrl { get; }

    /// <inheritdoc cref="SessionSettingsParameters.WorkingDirectory"/>
    string? WorkingDirectory { get; }

    /// <inheritdoc cref="SessionSettingsParameters.MountDirectory"/>
    string? MountDirectory { get; }

    /// <inheritdoc cref="SessionSettingsParameters.Command"/>
    string[]? Command { get; }

    /// <inheritdoc cref="SessionSettingsParameters.Arguments"/>
    string[]? Arguments { get; }

    /// <inheritdoc cref="SessionSettingsParameters.StripPathPrefix"/>
    SwitchParameter StripPathPrefix { get; }

    /// <inheritdoc cref="SessionSettingsParameters.SessionKind"/>
    SessionKind? SessionKind { get; }

    /// <inheritdoc cref="SessionSettingsParameters.ProbeTimeout"/>
    TimeSpan ProbeTimeout { get; }
}

/// <summary>The template of <see cref="ISessionSettingsParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class SessionSettingsParameters : ISessionSettingsParameters
{
    /// <summary>The port the environment sets; Renku probes it and sets RENKU_SESSION_PORT to it.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Port { get; set; }

    /// <summary>The uid Renku runs the session as.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Uid { get; set; }

    /// <summary>The gid Renku runs the session as (also the volume's group).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Gid { get; set; }

    /// <summary>The path users are sent to; the session check requests it under the session's base path.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("default_url")]
    public string? DefaultUrl { get; set; }

    /// <summary>The environment's working directory; empty leaves it to Renku (the image WORKDIR).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("working_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? WorkingDirectory { get; set; }

    /// <summary>The environment's mount directory, the only one that survives pause and resume; empty leaves it to Renku.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("mount_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? MountDirectory { get; set; }

    /// <summary>The environment's command, which replaces the image ENTRYPOINT.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Command { get; set; }

    /// <summary>The environment's args, which replace the image CMD.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Arguments { get; set; }

    /// <summary>Whether Renku strips the session's base path before requests reach the server.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("strip_path_prefix")]
    public SwitchParameter StripPathPrefix { get; set; }

    /// <summary>
    /// How the image is run and judged: Interactive (a server probed on its port) or Job (its
    /// command run to completion, as for non-interactive launchers). Unset: a job when a
    /// non-interactive launcher uses the environment (read with a Renku connection), else interactive.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SessionKind? SessionKind { get; set; }

    /// <summary>The longest a session check waits for readiness: seconds (60), a duration (2m) or a TimeSpan.</summary>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout(86400)]
    public TimeSpan ProbeTimeout { get; set; } = SessionCheckRequest.DefaultReadinessDeadline;
}

/// <summary>Whether a cmdlet was given any of the session settings parameters (<see cref="SessionSettingsParameterValues.Patch"/> reads their values).</summary>
internal static class SessionSettingsGiven
{
    private static readonly string[] Names =
    {
        nameof(ISessionSettingsParameters.Port), nameof(ISessionSettingsParameters.Uid), nameof(ISessionSettingsParameters.Gid),
        nameof(ISessionSettingsParameters.DefaultUrl), nameof(ISessionSettingsParameters.WorkingDirectory), nameof(ISessionSettingsParameters.MountDirectory),
        nameof(ISessionSettingsParameters.Command), nameof(ISessionSettingsParameters.Arguments), nameof(ISessionSettingsParameters.StripPathPrefix),
        nameof(ISessionSettingsParameters.SessionKind), nameof(ISessionSettingsParameters.ProbeTimeout),
    };

    /// <summary>True when any of the group's parameters (the probe timeout too) was given.</summary>
    internal static bool AnySessionSettingGiven(this ISessionSettingsParameters parameters, IDictionary<string, object> bound) => Names.Any(bound.ContainsKey);
}
