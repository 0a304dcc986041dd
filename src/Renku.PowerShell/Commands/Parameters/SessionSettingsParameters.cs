using System.Management.Automation;

using Renku.PowerShell.Sessions;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// The settings a session check starts an image under (an environment's port, uid/gid, default
/// URL, directories, command and arguments, strip path prefix) and how long it waits for
/// readiness. Build-RenkuImage -Verify takes them from here; Test-RenkuImageCompliance declares
/// the same parameters as its own (they bind from piped environments and hashtables), and a
/// convention test keeps both alike.
/// </summary>
public sealed class SessionSettingsParameters : ParameterGroup, ISessionSettingsParameters
{
    /// <param name="parameterSets">The cmdlet's parameter sets these parameters belong to; none for all.</param>
    public SessionSettingsParameters(params string[] parameterSets)
        : base(parameterSets)
    {
    }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Port { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Uid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Gid { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("default_url")]
    public string? DefaultUrl { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("working_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? WorkingDirectory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("mount_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? MountDirectory { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Command { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Arguments { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("strip_path_prefix")]
    public SwitchParameter StripPathPrefix { get; set; }

    /// <summary>
    /// How the image is run and judged: Interactive (a server probed on its port) or Job (its
    /// command run to completion, as for non-interactive launchers); unset decides from the launchers.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SessionKind? SessionKind { get; set; }

    /// <summary>The longest a session check waits for readiness: seconds (60), a duration (2m) or a TimeSpan.</summary>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout(86400)]
    public TimeSpan ProbeTimeout { get; set; } = SessionCheckRequest.DefaultReadinessDeadline;

    /// <summary>True when any setting (not the probe timeout) was given.</summary>
    internal static bool AnyGiven(IDictionary<string, object> bound) =>
        new[] { nameof(Port), nameof(Uid), nameof(Gid), nameof(DefaultUrl), nameof(WorkingDirectory), nameof(MountDirectory), nameof(Command), nameof(Arguments), nameof(StripPathPrefix), nameof(SessionKind), nameof(ProbeTimeout) }.Any(bound.ContainsKey);
}
