using System.Management.Automation;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Kubernetes;


namespace Renku.PowerShell.Commands.Sessions;

/// <summary>
/// Lists Renku sessions running in a Kubernetes cluster.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuSession")]
[OutputType(typeof(RenkuSession))]
public sealed class GetRenkuSessionCommand : RenkuCmdlet, IClusterTargetParameters
{
    private readonly List<SessionEnvironmentRef> environments = new();
    private readonly List<SessionLauncherRef> launchers = new();

    /// <summary>Environment objects (Id, Image) or launcher objects (Id, EnvironmentId, ProjectId).</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject[]? InputObject { get; set; }

    [Parameter]
    [ValidateSet("Running", "Failed", "Hibernated", "NotReady", "RunningDegraded", "Succeeded", IgnoreCase = true)]
    public string[]? State { get; set; }

    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Image { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? LauncherId { get; set; }

    [Parameter]
    [ValidateNotNullOrEmpty]
    public string[]? ProjectId { get; set; }

    /// <inheritdoc cref="ClusterTargetParameters.Namespace"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <inheritdoc cref="ClusterTargetParameters.Kubeconfig"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <inheritdoc cref="ClusterTargetParameters.Context"/>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KubernetesContextCompleter))]
    public string? Context { get; set; }

    protected override void Process()
    {
        foreach (PSObject input in InputObject ?? Array.Empty<PSObject>())
        {
            if (input is null)
            {
                continue;
            }

            string? id = Text(input, "Id", "id");
            string? environmentId = Text(input, "EnvironmentId", "environment_id");
            string? image = Text(input, "Image", "container_image");
            if (environmentId is not null && id is not null)
            {
                launchers.Add(new SessionLauncherRef(id, environmentId, Text(input, "ProjectId", "project_id")));
            }
            else if (image is not null)
            {
                environments.Add(new SessionEnvironmentRef(id, image));
            }
            else
            {
                WriteError(ErrorMap.InvalidArgument(
                    ErrorIds.UnsupportedSessionInput,
                    $"The input '{input}' is neither an environment (Id, Image) nor a session launcher (Id, EnvironmentId).",
                    input,
                    "Pipe the output of the environment or launcher cmdlets, or objects with those properties; filter with -Image, -LauncherId or -ProjectId instead."));
            }
        }
    }

    protected override void End()
    {
        if (MyInvocation.ExpectingInput && environments.Count == 0 && launchers.Count == 0)
        {
            // Everything piped in was refused (or nothing came): listing every session instead
            // would answer a question nobody asked.
            return;
        }

        KubernetesTarget target = this.ToKubernetesTarget();
        WildcardPattern[]? patterns = Image?.Select(p => WildcardPattern.Get(p, WildcardOptions.IgnoreCase)).ToArray();
        var query = new RenkuSessionQuery
        {
            States = State,
            LauncherIds = LauncherId,
            ProjectIds = ProjectId,
            ImageFilter = patterns is null ? null : image => MatchesImage(patterns, image),
            Environments = environments.Count > 0 ? environments : null,
            Launchers = launchers.Count > 0 ? launchers : null,
        };

        WriteVerbose($"Listing Renku sessions in namespace '{Namespace ?? "(from the context)"}'.");
        IReadOnlyList<RenkuSession>? sessions = null;
        try
        {
            sessions = Run((_, ct) => RenkuSessionReader.GetAsync(target, query, ct));
        }
        catch (KubernetesException ex)
        {
            Refuse(ErrorMap.Kubernetes(ex, this.ClusterErrorTarget(), ErrorIds.AmaltheaNotInstalled));
        }

        WriteObject(sessions, enumerateCollection: true);
    }

    private static bool MatchesImage(WildcardPattern[] patterns, string image)
    {
        string? normalised = ImageReference.TryParse(image, out ImageReference? reference, out _) ? reference!.FullName : null;
        return patterns.Any(p => p.IsMatch(image) || (normalised is not null && p.IsMatch(normalised)));
    }

    private static string? Text(PSObject input, params string[] names) =>
        EnvironmentArgument.Text(input, names) is { Length: > 0 } text ? text : null;
}
