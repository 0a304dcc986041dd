using System.Collections;
using System.Management.Automation;
using System.Runtime.ExceptionServices;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Compliance.Reports;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Http;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Sessions.Docker;

namespace Renku.PowerShell.Commands.Compliance;

/// <summary>
/// Checks container images against Renku's rules for session images, statically and by starting a session.
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "RenkuImageCompliance", DefaultParameterSetName = ParameterSets.Image, SupportsShouldProcess = true)]
[OutputType(typeof(ComplianceReport))]
public sealed class TestRenkuImageComplianceCommand : RenkuApiCmdlet, IHashtableInput, IRegistryAccessParameters, IClusterTargetParameters, ISessionSettingsParameters, ICompliancePolicyParameters
{
    private const int ProgressActivityId = 0x4E54;

    private readonly List<(ComplianceJob Job, string Target)> jobs = new();
    private CompliancePolicy policy = CompliancePolicy.Default;
    private DockerfileDocument? dockerfile;
    private ISessionRuntime? runtime;
    private ImageInspector? inspector;
    private int? throttleLimit;
    private RenkuApi.RenkuApiClient? platformClient;
    private Platforms.LaunchPlatformReader? launchReader;

    /// <summary>
    /// The images to check: references (or image ids with -Source Docker). Binds the Image or container_image property of piped environments.
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ParameterSets.Image)]
    [Alias("container_image", "Reference")]
    [PipelineText("Image", "container_image", "ContainerImage", "Reference")]
    [AllowEmptyCollection]
    public string[] Image { get; set; } = Array.Empty<string>();

    /// <summary>
    /// An upgrade row from Get-RenkuImageUpgrade: with -Candidate its candidate image is checked under its environment's settings; without -Candidate the row is refused, so the current image is never checked by mistake.
    /// </summary>
    [Parameter(ValueFromPipeline = true, ParameterSetName = ParameterSets.Image)]
    [OnlyOfType(typeof(ImageUpgrade))]
    public ImageUpgrade? Upgrade { get; set; }

    /// <summary>Checks the candidate image of each upgrade row piped in (not its current image).</summary>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    public SwitchParameter Candidate { get; set; }

    /// <summary>Image archives (docker save, OCI layout as folder or tar) to check, with wildcards.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Path)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>An environment object whose image is checked under its settings.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Environment)]
    [ValidateNotNull]
    public PSObject? Environment { get; set; }

    /// <summary>Where to read the image: Registry (default) or Docker (an image already in a Docker engine).</summary>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    [Parameter(ParameterSetName = ParameterSets.Environment)]
    [ValidateSet("Registry", "Docker")]
    public string Source { get; set; } = "Registry";

    /// <summary>A Dockerfile to check with the image, or alone.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Dockerfile { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    public string? EnvironmentName { get; set; }

    /// <summary>
    /// The global environment the image belongs to (piped environments bind their Id): with a Renku connection, where its launchers run is read (resource pools) for the platform fit.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Id")]
    public string? EnvironmentId { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Port"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public int? Port { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Uid"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Uid { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Gid"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0, 65535)]
    public int? Gid { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.DefaultUrl"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("default_url")]
    public string? DefaultUrl { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.WorkingDirectory"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("working_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? WorkingDirectory { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.MountDirectory"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("mount_directory")]
    [AllowEmptyString]
    [AllowNull]
    public string? MountDirectory { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Command"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Command { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.Arguments"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Args")]
    [AllowNull]
    [AllowEmptyCollection]
    public string[]? Arguments { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.StripPathPrefix"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("strip_path_prefix")]
    public SwitchParameter StripPathPrefix { get; set; }

    /// <inheritdoc cref="CompliancePolicyParameters.Policy"/>
    [Parameter]
    [ValidateNotNull]
    public object? Policy { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.SessionKind"/>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public SessionKind? SessionKind { get; set; }

    /// <summary>Also start the image as a Renku session in this runtime.</summary>
    [Parameter]
    [ValidateSet("Docker", "Kubernetes")]
    public string? Runtime { get; set; }

    [Parameter]
    public string? DockerHost { get; set; }

    /// <inheritdoc cref="SessionSettingsParameters.ProbeTimeout"/>
    [Parameter]
    [TimeoutArgument]
    [ValidateTimeout(86400)]
    public TimeSpan ProbeTimeout { get; set; } = SessionCheckRequest.DefaultReadinessDeadline;

    [Parameter]
    public ComplianceFailOn FailOn { get; set; } = ComplianceFailOn.Never;

    /// <summary>Checks without Renku's own pull check even when connected: the verdicts rest on the module's own checks alone.</summary>
    [Parameter]
    public SwitchParameter SkipRenkuPullCheck { get; set; }

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit
    {
        get => throttleLimit ?? (Runtime is null ? ComplianceThrottle.Static : ComplianceThrottle.Session);
        set => throttleLimit = value;
    }

    /// <summary>
    /// A hashtable piped in (Import-PowerShellDataFile returns them) or given: its keys bind as the
    /// properties of a piped object bind, to the parameters that take pipeline input by property name.
    /// </summary>
    [Parameter(ValueFromPipeline = true)]
    public IDictionary? InputObject { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.Credential"/>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    [Parameter(ParameterSetName = ParameterSets.Environment)]
    [Credential]
    public PSCredential? Credential { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.SkipCertificateCheck"/>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    [Parameter(ParameterSetName = ParameterSets.Environment)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    /// <inheritdoc cref="RegistryAccessParameters.InsecureRegistry"/>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    [Parameter(ParameterSetName = ParameterSets.Environment)]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <inheritdoc cref="RegistryAccessParameters.RegistryTimeout"/>
    [Parameter(ParameterSetName = ParameterSets.Image)]
    [Parameter(ParameterSetName = ParameterSets.Environment)]
    [TimeoutArgument]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

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

    protected override void Dispose(bool disposing) => inspector?.Dispose();

    protected override void Begin()
    {
        try
        {
            policy = this.ResolveCompliancePolicy();
        }
        catch (CompliancePolicyException ex)
        {
            ThrowFailure(ex, Policy);
        }

        if (Dockerfile is not null)
        {
            dockerfile = ReadDockerfile(Dockerfile);
        }

        if (Runtime is not null && ParameterSetName == ParameterSets.Path)
        {
            Refuse(ErrorMap.InvalidArgument(ErrorIds.InvalidEnvironmentSettings, "-Runtime starts images a Docker engine can pull or already holds; load the archive with 'docker load' and check it with -Source Docker -Runtime Docker.", Path));
        }

        if (Runtime != "Kubernetes" && this.ClusterTargetGiven())
        {
            Refuse(ErrorMap.InvalidArgument(ErrorIds.InvalidEnvironmentSettings, "-Namespace, -Kubeconfig and -Context choose the cluster of -Runtime Kubernetes; add -Runtime Kubernetes or leave them out.", Runtime));
        }

        runtime = Runtime switch
        {
            "Docker" => new DockerSessionRunner(DockerHost),
            "Kubernetes" => new KubernetesSessionRuntime(this.ToKubernetesTarget()),
            _ => null,
        };

        if (runtime is KubernetesSessionRuntime kubernetes)
        {
            // A kubeconfig that cannot be used fails every image alike: say so once, up front.
            try
            {
                kubernetes.ResolveNamespace();
            }
            catch (KubernetesException ex)
            {
                ThrowFailure(ex, Kubeconfig ?? Context);
            }

            TimeSpan fastest = ReadinessProbeSettings.Renku.FastestReady;
            if (ProbeTimeout < fastest)
            {
                WriteWarning($"-ProbeTimeout {ProbeTimeout} is shorter than the {fastest.TotalSeconds:0} s Renku's probe needs at best, and a cluster runs Renku's probe unscaled: a session cannot become ready in time. Give at least {fastest.TotalSeconds + 30:0} s.");
            }
        }

        inspector = this.CreateInspector();
    }

    protected override void Process()
    {
        SessionSettings settings;
        try
        {
            settings = CurrentSettings();
        }
        catch (ArgumentException ex)
        {
            WriteError(ErrorMap.Record(ex, ErrorIds.InvalidEnvironmentSettings, Environment, ex.Message, null));
            return;
        }

        if (Upgrade is not null || Candidate.IsPresent)
        {
            if (!TryCandidate(ref settings))
            {
                return;
            }
        }

        ComplianceImageSource source = ParameterSetName == ParameterSets.Path ? ComplianceImageSource.Archive : Source == "Docker" ? ComplianceImageSource.Docker : ComplianceImageSource.Registry;
        IEnumerable<string?> images = ParameterSetName switch
        {
            ParameterSets.Environment => new[] { EnvironmentArgument.Image(Environment!) },
            ParameterSets.Path => ResolveArchives(),
            _ => Image.Length > 0 ? Image : new string?[] { null },
        };

        foreach (string? image in images)
        {
            if (ParameterSetName == ParameterSets.Environment && string.IsNullOrEmpty(image))
            {
                WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidEnvironmentSettings, "The environment has no Image or container_image property; give it one or use -Image.", Environment));
                continue;
            }

            if (image is null && dockerfile is null)
            {
                WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidEnvironmentSettings, "Nothing to check: give -Image (or pipe images or environments), -Environment, or -Dockerfile.", null));
                continue;
            }

            if (image is { Length: 0 })
            {
                WriteError(ErrorMap.InvalidReference(image, "The image reference is empty."));
                continue;
            }

            if (image is not null && source == ComplianceImageSource.Registry && !ImageReference.TryParse(image, out _, out string? problem))
            {
                WriteError(ErrorMap.InvalidReference(image, problem!));
                continue;
            }

            IReadOnlyList<LaunchPlatform>? launches = image is null ? null : LaunchesOf();
            SessionKind kind = SessionKinds.Decide(SessionKind, launches?.Select(l => l.LauncherType));
            ISessionRuntime? jobRuntime = null;
            if (image is not null && !TryConfirmRuntime(image, settings, kind, out jobRuntime))
            {
                continue;
            }

            jobs.Add((new ComplianceJob
            {
                Image = image,
                Source = image is null ? ComplianceImageSource.None : source,
                Settings = settings,
                Dockerfile = dockerfile,
                Policy = policy,
                Runtime = jobRuntime,
                ProbeTimeout = ProbeTimeout,
                DockerHost = DockerHost,
                Ledger = Ledger,
                Platform = SkipRenkuPullCheck ? null : PlatformClient(),
                PlatformCheckSkipped = SkipRenkuPullCheck && CurrentConnection() is { IsOpen: true },
                Launches = launches,
                Kind = kind,
            }, image ?? dockerfile?.Path ?? "(settings)"));
        }
    }

    protected override void End()
    {
        if (jobs.Count == 0)
        {
            return;
        }

        string? ci = CiAnnotations.Detect(System.Environment.GetEnvironmentVariable);
        var failing = new List<ComplianceReport>();
        var runner = new ComplianceRunner(inspector!);
        Run((writer, ct) => runner.CheckAllAsync(
            jobs.Select(j => j.Job).ToList(),
            ThrottleLimit,
            (index, report, failure) =>
            {
                if (report is null)
                {
                    ErrorRecord? record = Failure(failure!, jobs[index].Job, jobs[index].Target);
                    if (record is null)
                    {
                        // Not a failure any domain explains: a bug, shown as itself.
                        ExceptionDispatchInfo.Capture(failure!).Throw();
                    }

                    writer.WriteError(record);
                    return;
                }

                writer.WriteObject(report);
                if (ci is not null)
                {
                    foreach (string line in CiAnnotations.For(report, ci))
                    {
                        writer.WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
                    }
                }

                if (report.FailsOn(FailOn))
                {
                    failing.Add(report);
                }
            },
            progress =>
            {
                writer.WriteVerbose(progress.Message);
                writer.WriteProgress(new ProgressRecord(ProgressActivityId, "Checking image compliance", $"{progress.Done} of {progress.Total} done")
                {
                    CurrentOperation = progress.Message,
                    PercentComplete = progress.Done * 100 / progress.Total,
                });
            },
            ct));

        CompleteProgress();
        if (failing.Count > 0)
        {
            string list = string.Join("; ", failing.Select(r => $"{r.Image} ({string.Join(", ", r.FailuresAt(FailOn).Select(f => f.RuleId))})"));
            Refuse(ErrorMap.Record(
                new InvalidOperationException($"{failing.Count} of {jobs.Count} image(s) failed Renku compliance at level {FailOn}: {list}. See the reports' Results for what to change."),
                ErrorIds.ComplianceFailed,
                failing.Select(r => r.Image).ToArray(),
                null,
                null));
        }
    }

    /// <summary>
    /// For an upgrade row: its candidate is the image to check, under the row's settings (with any
    /// given over them). A row without -Candidate, -Candidate without a row, and a row without a
    /// candidate are errors: the current image is never checked in the candidate's place.
    /// </summary>
    private bool TryCandidate(ref SessionSettings settings)
    {
        if (Upgrade is null)
        {
            WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidUpgradeInput, "-Candidate checks the candidates of upgrade rows piped from Get-RenkuImageUpgrade; pipe them in, or leave -Candidate out to check -Image.", null));
            return false;
        }

        if (!Candidate.IsPresent)
        {
            WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidUpgradeInput, $"{Upgrade.Source}: an upgrade row names two images. Add -Candidate to check its candidate ({Upgrade.CandidateImage ?? "none"}), or pipe its Image property to check the current image ({Upgrade.Image}).", Upgrade));
            return false;
        }

        if (Upgrade.CandidateImage is null)
        {
            WriteError(ErrorMap.InvalidArgument(ErrorIds.InvalidUpgradeInput, $"{Upgrade.Source}: the row has no candidate ({Upgrade.Status}), so there is nothing to check.", Upgrade));
            return false;
        }

        settings = this.Patch(MyInvocation.BoundParameters).ApplyTo(Upgrade.Settings ?? SessionSettings.RenkuDefaults);
        if (settings.Name is null && Upgrade.EnvironmentName is not null)
        {
            settings = new SessionSettingsPatch { Name = Upgrade.EnvironmentName }.ApplyTo(settings);
        }

        Image = new[] { Upgrade.CandidateImage };
        return true;
    }

    private static readonly PathRole DockerfilePath = new(PathKind.File, "Dockerfile", ErrorIds.DockerfileNotFound, Advice: "Give the path of the Dockerfile to check.");

    private static readonly PathRole ArchivePath = new(PathKind.FileOrFolder, "image archive", ErrorIds.ImageArchiveNotFound, Advice: "Give the path of a 'docker save' archive or an OCI image layout.");

    private DockerfileDocument ReadDockerfile(string given)
    {
        if (!ProviderPaths.TryOne(this, given, literal: true, DockerfilePath, out string? path, out ErrorRecord? error))
        {
            Refuse(error);
        }

        DockerfileDocument? document = null;
        try
        {
            document = DockerfileDocument.Load(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Refuse(ErrorMap.Record(new IOException($"The Dockerfile '{path}' could not be read: {ex.Message}", ex), ErrorIds.DockerfileUnreadable, given, null, null));
        }

        return document;
    }

    private List<string?> ResolveArchives() => ProviderPaths.Existing(this, Path, literal: false, ArchivePath, WriteError).ToList<string?>();

    /// <summary>The settings of this input: the piped or given environment, with the environment parameters given over it.</summary>
    private SessionSettings CurrentSettings()
    {
        IDictionary<string, object> bound = MyInvocation.BoundParameters;
        SessionSettingsPatch given = this.Patch(bound) with { Name = Optional.If(bound.ContainsKey(nameof(EnvironmentName)), EnvironmentName) };
        return (ParameterSetName == ParameterSets.Environment ? EnvironmentArgument.Patch(Environment!).With(given) : given).ToSettings();
    }

    /// <summary>
    /// The runtime for one image. A session check starts something (a container, a pod), so it
    /// asks ShouldProcess with what it would start: -WhatIf prints it and starts nothing, and the
    /// static checks (reads) still run; -Confirm asks, and a no leaves the static checks.
    /// </summary>
    private bool TryConfirmRuntime(string image, SessionSettings settings, SessionKind kind, out ISessionRuntime? jobRuntime)
    {
        jobRuntime = runtime;
        if (runtime is DockerSessionRunner)
        {
            string containerPlan = string.Empty;
            try
            {
                containerPlan = DockerSessionPlan.Describe(image, settings, DockerHost, ProbeTimeout, kind);
            }
            catch (DockerEngineException ex) when (ex.InvalidAddress)
            {
                // No image can be started on an address that is not one.
                ThrowFailure(ex, DockerHost);
            }

            if (!ShouldProcess(containerPlan, $"Start {image} in a session check container on the Docker engine, then remove it?", "Docker session check"))
            {
                jobRuntime = null;
            }

            return true;
        }

        if (runtime is not KubernetesSessionRuntime kubernetes)
        {
            return true;
        }

        ClusterCheckPlan plan;
        try
        {
            plan = kubernetes.Plan(new SessionCheckRequest { Image = image, Settings = settings, ReadinessDeadline = ProbeTimeout, Kind = kind });
        }
        catch (KubernetesException ex)
        {
            WriteFailure(ex, image);
            return false;
        }
        catch (SessionSettingsException ex)
        {
            WriteFailure(ex, image);
            return false;
        }

        string description = $"Creating pod {plan.Namespace}/{plan.PodName} to {(kind == PowerShell.SessionKind.Job ? "run" : "start")} {image} as a Renku {(kind == PowerShell.SessionKind.Job ? "job" : "session")}, then deleting it:{System.Environment.NewLine}{plan.Manifest}";
        if (!ShouldProcess(description, $"Create the session check pod {plan.Namespace}/{plan.PodName} for {image}?", "Cluster session check"))
        {
            jobRuntime = null;
        }

        return true;
    }

    /// <summary>The error record for a check that could not be made; null for an exception no domain explains.</summary>
    private static ErrorRecord? Failure(Exception exception, ComplianceJob job, string target) =>
        job.Source == ComplianceImageSource.Archive ? ErrorMap.ForArchive(exception, target) : ErrorMap.For(exception, target);

    /// <summary>With a Renku connection and a global environment's id, where its launchers run; else null.</summary>
    private IReadOnlyList<LaunchPlatform>? LaunchesOf()
    {
        string? id = EnvironmentId ?? (Environment is null ? null : EnvironmentArgument.Get(Environment, "Id") as string);
        if (id is null || !EnvironmentValidator.IsUlid(id) || PlatformClient() is not { } client)
        {
            return null;
        }

        launchReader ??= new Platforms.LaunchPlatformReader(client);
        return Run((_, ct) => launchReader.ForEnvironmentAsync(id, ct));
    }

    /// <summary>With a Renku connection (-Connection or the current one), the client that asks Renku's own pull check.</summary>
    private RenkuApi.RenkuApiClient? PlatformClient()
    {
        RenkuConnection? connection = CurrentConnection();
        return connection is { IsOpen: true } ? platformClient ??= new RenkuApi.RenkuApiClient(connection) : null;
    }
}
