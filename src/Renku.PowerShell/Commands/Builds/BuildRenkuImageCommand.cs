using System.Collections;
using System.Diagnostics;
using System.Management.Automation;

using Renku.PowerShell.Buildpacks;
using Renku.PowerShell.Builds;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Sessions.Docker;

namespace Renku.PowerShell.Commands.Builds;

/// <summary>
/// Builds a Renku session image from a Dockerfile on a Docker engine, or with Renku's buildpacks.
/// </summary>
[Cmdlet("Build", "RenkuImage", DefaultParameterSetName = ParameterSets.Dockerfile, SupportsShouldProcess = true)]
[OutputType(typeof(ImageBuildResult))]
public sealed class BuildRenkuImageCommand : RenkuCmdlet, ISessionSettingsParameters, ICompliancePolicyParameters
{
    private const int BuildActivityId = 7001;
    private const int TransferActivityId = 7002;

    private string activity = "Building image";
    private volatile bool buildProgressShown;

    /// <summary>The build context (Dockerfile mode) or application directory (buildpacks).</summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("PSPath", "FullName", "Context")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = ".";

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [Alias("File")]
    [ValidateNotNullOrEmpty]
    public string? Dockerfile { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [Parameter(ParameterSetName = ParameterSets.Buildpacks, Mandatory = true)]
    [Alias("t")]
    [ValidateNotNullOrEmpty]
    public string[] Tag { get; set; } = Array.Empty<string>();

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public SwitchParameter TagFromGit { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public Hashtable? BuildArg { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [ValidateNotNullOrEmpty]
    public string? Target { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateNotNullOrEmpty]
    public string? Platform { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public Hashtable? Label { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public SwitchParameter NoCache { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public SwitchParameter Pull { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public SwitchParameter Push { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateNotNullOrEmpty]
    public string? DockerHost { get; set; }

    /// <summary>Checks the built image against Renku's rules (statically and as a session) before anything is pushed.</summary>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public SwitchParameter Verify { get; set; }

    /// <summary>With -Verify: the severity at which a non-compliant image stops the cmdlet before the push.</summary>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    public ComplianceFailOn FailOn { get; set; } = ComplianceFailOn.Never;

    /// <inheritdoc cref="CompliancePolicyParameters.Policy"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [ValidateNotNull]
    public object? Policy { get; set; }

    /// <summary>With -Verify: the environment whose settings the image is started under (a Renku global environment, also from the pipeline); the session parameters given override its values.</summary>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipeline = true)]
    [ValidateNotNull]
    public GlobalEnvironment? Environment { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [ValidateRange(0, long.MaxValue)]
    public long ContextSizeWarning { get; set; } = 512L * 1024 * 1024;

    [Parameter(ParameterSetName = ParameterSets.Buildpacks, Mandatory = true)]
    public SwitchParameter Buildpacks { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateSet("jupyterlab", "vscodium", "ttyd", "rstudio")]
    public string Frontend { get; set; } = RenkuBuildpacks.DefaultFrontend;

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateNotNullOrEmpty]
    public string Builder { get; set; } = RenkuBuildpacks.DefaultBuilder;

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateNotNullOrEmpty]
    public string RunImage { get; set; } = RenkuBuildpacks.DefaultRunImage;

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    public SwitchParameter Publish { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    public Hashtable? Env { get; set; }

    [Parameter(ParameterSetName = ParameterSets.Buildpacks)]
    [ValidateNotNullOrEmpty]
    public string? PackPath { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Port"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    public int? Port { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Uid"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Uid { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Gid"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Gid { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.DefaultUrl"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [Alias("default_url")]
    public string? DefaultUrl { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.WorkingDirectory"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [Alias("working_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? WorkingDirectory { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.MountDirectory"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [Alias("mount_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? MountDirectory { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Command"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Command { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Arguments"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Arguments { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.StripPathPrefix"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    [Alias("strip_path_prefix")]
    public SwitchParameter StripPathPrefix { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.SessionKind"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile, ValueFromPipelineByPropertyName = true)]
    public SessionKind? SessionKind { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.ProbeTimeout"/>
    [Parameter(ParameterSetName = ParameterSets.Dockerfile)]
    [TimeoutArgument]
    [ValidateTimeout(86400)]
    public TimeSpan ProbeTimeout { get; set; } = SessionCheckRequest.DefaultReadinessDeadline;

    private static readonly PathRole BuildContextPath = new(PathKind.Folder, "build context", ErrorIds.InvalidBuildInput, Advice: "Give -Path the folder that holds the Dockerfile (or the application, with -Buildpacks).");

    private static readonly PathRole DockerfilePath = new(PathKind.File, "Dockerfile", ErrorIds.InvalidBuildInput, Advice: "Give -Dockerfile the path of the Dockerfile (relative to the current location), or leave it out to use the context's.");

    private static readonly PathRole PackExecutablePath = new(PathKind.File, "pack executable", ErrorIds.PackNotFound, Advice: PackLocator.InstallHint);

    protected override void Process()
    {
        string? context = ResolveDirectory(Path);
        if (context is null)
        {
            return;
        }

        List<ImageReference>? tags = ParseTags();
        if (tags is null)
        {
            return;
        }

        try
        {
            if (ParameterSetName == ParameterSets.Buildpacks)
            {
                BuildWithBuildpacks(context, tags);
            }
            else
            {
                BuildWithDocker(context, tags);
            }
        }
        catch (ImageBuildException ex) when (ex.Failure is ImageBuildFailure.EngineUnavailable or ImageBuildFailure.PackNotFound)
        {
            // Without an engine or pack nothing else in this pipeline can be built.
            CompleteProgress();
            ThrowFailure(ex, context);
        }
        catch (ImageBuildException ex)
        {
            WriteFailure(ex, context);
        }

        CompleteProgress();
    }

    private void BuildWithDocker(string context, List<ImageReference> tags)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        GitRevision? revision = ReadGit(context);
        if (TagFromGit && revision is null)
        {
            return;
        }

        if (revision is not null)
        {
            foreach (var pair in revision.OciLabels())
            {
                labels[pair.Key] = pair.Value;
            }

            WriteVerbose($"Git checkout at {revision.ShortCommit}" + (revision.Version is null ? string.Empty : $", version {revision.Version}") + ".");
        }

        foreach (var pair in Hashtables.ToStrings(Label))
        {
            labels[pair.Key] = pair.Value;
        }

        List<string> allTags = TagFromGit ? revision!.Tags(tags).ToList() : tags.Select(t => t.FullName).ToList();
        if (Push && allTags.Count == 0)
        {
            WriteError(ErrorMap.InvalidArgument(ErrorIds.PushRequiresTag, "-Push needs at least one tag to push.", context, "Add -Tag registry/repository:tag (or -TagFromGit with -Tag registry/repository)."));
            return;
        }

        string? givenDockerfile = null;
        if (Dockerfile is not null && !ProviderPaths.TryOne(this, Dockerfile, literal: true, DockerfilePath, out givenDockerfile, out ErrorRecord? error))
        {
            WriteError(error);
            return;
        }

        var request = new DockerBuildRequest(context)
        {
            DockerfilePath = givenDockerfile,
            Tags = allTags,
            BuildArgs = Hashtables.ToStrings(BuildArg),
            Labels = labels,
            Target = Target,
            Platform = Platform,
            NoCache = NoCache,
            Pull = Pull,
            ContextWarningBytes = ContextSizeWarning,
            Ledger = Ledger,
        };
        DockerImageBuilder.Validate(request);

        // -FailOn, -Policy, an environment and session settings only make sense for a
        // verification, so they ask for one.
        IDictionary<string, object> bound = MyInvocation.BoundParameters;
        bool verify = Verify || bound.ContainsKey(nameof(FailOn)) || bound.ContainsKey(nameof(Policy)) || Environment is not null || this.AnySessionSettingGiven(bound);
        CompliancePolicy? policy = null;
        SessionSettings settings = SessionSettings.RenkuDefaults;
        if (verify)
        {
            try
            {
                policy = this.ResolveCompliancePolicy();
            }
            catch (CompliancePolicyException ex)
            {
                WriteFailure(ex, Policy);
                return;
            }

            SessionSettingsPatch given = this.Patch(bound);
            settings = (Environment is not null ? SessionSettingsPatch.From(Environment).With(given) : given).ToSettings();
            try
            {
                // Refused before the build, as Renku would refuse the environment.
                SessionVariables.Validate(allTags.Count > 0 ? allTags[0] : "renku/verification:latest", settings);
            }
            catch (SessionSettingsException ex)
            {
                WriteError(ErrorMap.Record(ex, ErrorIds.InvalidEnvironmentSettings, Environment ?? (object)context, ex.Message, "Fix the session settings (port 1..65399, uid/gid 1..65535, absolute directories); nothing was built."));
                return;
            }
        }

        string what = allTags.Count > 0 ? string.Join(", ", allTags) : context;
        string dockerfilePath = request.DockerfilePath ?? System.IO.Path.Combine(context, "Dockerfile");
        string verification = string.Empty;
        if (verify)
        {
            try
            {
                string plan = DockerSessionPlan.Describe(allTags.Count > 0 ? allTags[0] : "the built image", settings, DockerHost, ProbeTimeout, SessionKind ?? PowerShell.SessionKind.Interactive);
                verification = ", then verify it: " + char.ToLowerInvariant(plan[0]) + plan[1..];
            }
            catch (DockerEngineException ex) when (ex.InvalidAddress)
            {
                WriteFailure(ex, DockerHost);
                return;
            }
        }

        string action = "Build image from " + dockerfilePath + verification
            + (Push && allTags.Count > 0 ? ", then push " + string.Join(", ", allTags) + (verify ? " if it passes" : string.Empty) : string.Empty);
        if (!ShouldProcess(what, action))
        {
            return;
        }

        activity = "Building " + (allTags.Count > 0 ? allTags[0] : context);
        var clock = Stopwatch.StartNew();
        using DockerImageBuilder builder = Run((_, ct) => DockerImageBuilder.ConnectAsync(DockerHost, ct));
        WriteVerbose($"Docker engine {builder.Endpoint}.");
        DockerBuildOutcome built = Run((writer, ct) => builder.BuildAsync(request, e => Handle(writer, e), ct));
        WriteVerbose($"Built {built.ImageId}.");

        // The verification seam: between the build and the push, and able to stop the push.
        ComplianceReport? report = null;
        if (verify)
        {
            string image = allTags.Count > 0 ? allTags[0] : built.ImageId;
            string dockerfile = request.DockerfilePath ?? System.IO.Path.Combine(context, "Dockerfile");
            report = Run((writer, ct) => BuildVerifier.VerifyAsync(image, dockerfile, request.BuildArgs, policy!, settings, ProbeTimeout, DockerHost, Ledger, e => Handle(writer, e), ct, SessionKind));
            if (!report.Passed)
            {
                WriteWarning($"{image} is not Renku-compliant: {report.ErrorCount} error(s), {report.WarningCount} warning(s) ({string.Join(", ", report.Failures.Select(f => f.RuleId).Distinct())}). See the result's Verification.Results.");
            }

            if (report.FailsOn(FailOn))
            {
                CompleteProgress();
                Refuse(ErrorMap.Record(
                    new InvalidOperationException($"{image} failed Renku compliance at level {FailOn}; nothing was pushed."),
                    ErrorIds.ComplianceFailed,
                    report,
                    $"{image} failed Renku compliance at level {FailOn} ({string.Join(", ", report.FailuresAt(FailOn).Select(f => f.RuleId + ": " + f.Message))}); nothing was pushed.",
                    "Fix what the report's Results name (the error's TargetObject is the report), or lower -FailOn."));
            }
        }

        var pushed = new List<PushedTag>();
        if (Push)
        {
            List<string> toPush = allTags.Where(t => ShouldProcess(t, "Push image")).ToList();
            if (toPush.Count > 0)
            {
                System.Net.NetworkCredential? credential = Credential?.GetNetworkCredential();
                pushed.AddRange(Run((writer, ct) => builder.PushAsync(toPush, credential, e => Handle(writer, e), ct)));
            }
        }

        clock.Stop();
        WriteObject(new ImageBuildResult(
            ImageBuildMode.Dockerfile,
            built.ImageId,
            allTags,
            pushed.Select(p => p.Digest).FirstOrDefault(),
            pushed.Select(p => p.Tag).ToList(),
            clock.Elapsed,
            built.ContextBytes,
            built.ContextFiles,
            context,
            report));
    }

    private void BuildWithBuildpacks(string context, List<ImageReference> tags)
    {
        string? packPath = null;
        if (PackPath is not null && !ProviderPaths.TryProviderPath(this, PackPath, PackExecutablePath, out packPath, out ErrorRecord? error))
        {
            // Without pack nothing else in this pipeline can be built.
            CompleteProgress();
            Refuse(error);
        }

        // A path that leads nowhere is PackNotFound from the locator, with the install hint.
        string pack = PackLocator.Find(packPath);
        var request = new PackBuildRequest(context, Frontend, tags.Select(t => t.FullName).ToList())
        {
            Builder = Builder,
            RunImage = RunImage,
            Publish = Publish,
            Platform = Platform,
            Environment = Hashtables.ToStrings(Env),
            DockerHost = DockerHost,
        };
        if (!ShouldProcess(string.Join(", ", request.Tags), $"Build image with buildpacks ({Frontend}, builder {Builder})" + (Publish ? " and publish it" : string.Empty)))
        {
            return;
        }

        activity = "Building " + request.Tags[0] + " with buildpacks";
        var clock = Stopwatch.StartNew();
        PackOutcome outcome = Run((writer, ct) => PackRunner.RunAsync(pack, request, e => Handle(writer, e), ct));
        clock.Stop();
        WriteObject(new ImageBuildResult(
            ImageBuildMode.Buildpacks,
            outcome.ImageId,
            request.Tags,
            outcome.Digest,
            Publish ? request.Tags : Array.Empty<string>(),
            clock.Elapsed,
            0,
            0,
            context));
    }

    private GitRevision? ReadGit(string context)
    {
        try
        {
            return GitRevision.Read(context);
        }
        catch (ImageBuildException ex) when (ex.Failure == ImageBuildFailure.GitUnavailable)
        {
            if (TagFromGit)
            {
                WriteFailure(ex, context);
            }
            else
            {
                WriteVerbose("No git information for the OCI labels: " + ex.Message);
            }

            return null;
        }
    }

    private List<ImageReference>? ParseTags()
    {
        var result = new List<ImageReference>();
        foreach (string text in Tag)
        {
            if (!ImageReference.TryParse(text, out ImageReference? reference, out string? error) || reference!.Digest is not null)
            {
                WriteError(ErrorMap.InvalidReference(text, error ?? $"'{text}' names a digest; a build can only be tagged."));
                return null;
            }

            result.Add(reference);
        }

        if (TagFromGit && result.Count == 0)
        {
            WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidBuildInput, "-TagFromGit needs the repository to tag: add -Tag registry/repository.", null, "Add -Tag registry/repository; the commit (and version) tags are added to it."));
            return null;
        }

        return result;
    }

    private string? ResolveDirectory(string path)
    {
        if (!ProviderPaths.TryOne(this, path, literal: false, BuildContextPath, out string? context, out ErrorRecord? error))
        {
            WriteError(error);
            return null;
        }

        return context;
    }

    /// <summary>Shows a build event of engine work through its writer.</summary>
    private void Handle(PipelineWriter writer, BuildEvent e)
    {
        switch (e.Kind)
        {
            case BuildEventKind.StepStarted:
                string step = e.TotalSteps > 0 ? $"Step {e.Step}/{e.TotalSteps} : {e.Text}" : e.Text;
                writer.WriteVerbose(step);
                int percent = e.TotalSteps > 0 ? Math.Clamp((e.Step - 1) * 100 / e.TotalSteps, 0, 100) : -1;
                writer.WriteProgress(new ProgressRecord(BuildActivityId, activity, step) { PercentComplete = percent });
                buildProgressShown = true;
                break;
            case BuildEventKind.Output:
                writer.WriteVerbose(e.Text);
                break;
            case BuildEventKind.Warning:
                writer.WriteWarning(e.Text);
                break;
            case BuildEventKind.Debug:
                writer.WriteDebug(e.Text);
                break;
            case BuildEventKind.Transfer:
                var record = new ProgressRecord(TransferActivityId, e.Activity ?? "Transferring", e.Text) { PercentComplete = e.Percent };
                if (buildProgressShown)
                {
                    record.ParentActivityId = BuildActivityId;
                }

                writer.WriteProgress(record);
                break;
        }
    }
}
