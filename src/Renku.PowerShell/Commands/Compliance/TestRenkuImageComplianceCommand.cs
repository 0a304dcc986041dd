using System.Collections.Concurrent;
using System.Management.Automation;

using Renku.PowerShell.Http;
using Renku.PowerShell.Commands.Images;
using Renku.PowerShell.Commands.Sessions;
using Renku.PowerShell.Compliance.Reports;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Commands.Internal;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Commands.Compliance;

/// <summary>
/// <para type="synopsis">Checks container images against Renku's rules for session images, statically and by starting a session.</para>
/// </summary>
[Cmdlet(VerbsDiagnostic.Test, "RenkuImageCompliance", DefaultParameterSetName = ImageSet, SupportsShouldProcess = true)]
[OutputType(typeof(ComplianceReport))]
public sealed class TestRenkuImageComplianceCommand : PSCmdlet, IDisposable
{
    private const string ImageSet = "Image";
    private const string EnvironmentSet = "Environment";
    private const string PathSet = "Path";
    private const int ProgressActivityId = 0x4E54;

    private static readonly string[] EnvironmentParameters =
    {
        nameof(EnvironmentName), nameof(Port), nameof(Uid), nameof(Gid), nameof(DefaultUrl), nameof(WorkingDirectory),
        nameof(MountDirectory), nameof(Command), nameof(Args), nameof(StripPathPrefix),
    };

    private readonly CancellationTokenSource cancellation = new();

    // Stored as int: a field of an engine enum would make loading this type (when PowerShell
    // lists the module's cmdlets) need the engine before its load context is hooked up.
    private int failOn = (int)ComplianceFailOn.Never;
    private readonly List<(ComplianceJob Job, string Target)> jobs = new();
    private CompliancePolicy policy = CompliancePolicy.Default;
    private DockerfileDocument? dockerfile;
    private ISessionRuntime? runtime;
    private ImageInspector? inspector;

    /// <summary>
    /// <para type="description">The images to check: references (or image ids with -Source Docker). Binds the Image or container_image property of piped environments.</para>
    /// </summary>
    [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ImageSet)]
    [Alias("container_image", "Reference")]
    [AllowEmptyCollection]
    public string[] Image { get; set; } = Array.Empty<string>();

    /// <summary><para type="description">Image archives (docker save, OCI layout as folder or tar) to check, with wildcards.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = PathSet)]
    [ValidateNotNullOrEmpty]
    [SupportsWildcards]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary><para type="description">An environment object whose image is checked under its settings.</para></summary>
    [Parameter(Mandatory = true, ParameterSetName = EnvironmentSet)]
    [ValidateNotNull]
    public PSObject? Environment { get; set; }

    /// <summary><para type="description">Where to read the image: Registry (default) or Docker (an image already in a Docker engine).</para></summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateSet("Registry", "Docker")]
    public string Source { get; set; } = "Registry";

    /// <summary><para type="description">A Dockerfile to check with the image, or alone.</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Dockerfile { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("Name")]
    public string? EnvironmentName { get; set; }

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
    public string[]? Command { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [AllowNull]
    public string[]? Args { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [Alias("strip_path_prefix")]
    public bool? StripPathPrefix { get; set; }

    /// <summary><para type="description">A policy: a path to a .psd1, .json or .yml file, or a hashtable.</para></summary>
    [Parameter]
    [ValidateNotNull]
    public object? Policy { get; set; }

    /// <summary><para type="description">Also start the image as a Renku session in this runtime.</para></summary>
    [Parameter]
    [ValidateSet("Docker", "Kubernetes")]
    public string? Runtime { get; set; }

    [Parameter]
    public string? DockerHost { get; set; }

    /// <summary><para type="description">With -Runtime Kubernetes: the namespace of the check pod (default: the context's).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary><para type="description">With -Runtime Kubernetes: the kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary><para type="description">With -Runtime Kubernetes: the kubeconfig context (default: the current one).</para></summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KubernetesContextCompleter))]
    public string? Context { get; set; }

    /// <summary><para type="description">Credentials for the registry (a private image can then be told apart from a missing one).</para></summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [Credential]
    public PSCredential? Credential { get; set; }

    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    public SwitchParameter SkipCertificateCheck { get; set; }

    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateNotNullOrEmpty]
    public string[] InsecureRegistry { get; set; } = Array.Empty<string>();

    /// <summary>The most one registry operation may take (one image read, one repository's tags), retries included.</summary>
    [Parameter(ParameterSetName = ImageSet)]
    [Parameter(ParameterSetName = EnvironmentSet)]
    [ValidateTimeout]
    public TimeSpan RegistryTimeout { get; set; } = HttpTimeouts.Default.Operation;

    [Parameter]
    public TimeSpan ProbeTimeout { get; set; } = SessionCheckRequest.DefaultReadinessDeadline;

    [Parameter]
    public ComplianceFailOn FailOn
    {
        get => (ComplianceFailOn)failOn;
        set => failOn = (int)value;
    }

    /// <summary>
    /// Default number of images checked at once from registries, archives or a Docker engine:
    /// such checks mostly wait on the network, and one inspector's connections, tokens and
    /// layers are shared between them.
    /// </summary>
    internal const int StaticThrottleLimit = 32;

    /// <summary>Default with -Runtime: each check starts a container or a pod.</summary>
    internal const int SessionThrottleLimit = 4;

    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit
    {
        get => throttleLimit ?? (Runtime is null ? StaticThrottleLimit : SessionThrottleLimit);
        set => throttleLimit = value;
    }

    private int? throttleLimit;

    public void Dispose()
    {
        inspector?.Dispose();
        cancellation.Dispose();
    }

    protected override void BeginProcessing()
    {
        if (ProbeTimeout <= TimeSpan.Zero)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentOutOfRangeException(nameof(ProbeTimeout), "-ProbeTimeout must be positive, for example 00:00:30."), ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, ProbeTimeout));
        }

        try
        {
            policy = PolicyArgument.Resolve(this, Policy);
        }
        catch (CompliancePolicyException ex)
        {
            ThrowTerminatingError(new ErrorRecord(ex, ErrorIds.InvalidCompliancePolicy, ErrorCategory.InvalidData, Policy)
            {
                ErrorDetails = new ErrorDetails(ex.Message) { RecommendedAction = "Fix the policy: settings Name, Rules, AllowedDistributions, Uid, Gid, UserName, AllowedRegistries, MaxCompressedSize, RequiredPlatforms; rule levels Off, Info, Warning, Error." },
            });
        }

        if (Dockerfile is not null)
        {
            string path = GetUnresolvedProviderPathFromPSPath(Dockerfile);
            if (!File.Exists(path))
            {
                ThrowTerminatingError(new ErrorRecord(new FileNotFoundException($"The Dockerfile '{path}' does not exist. Give the path of the Dockerfile to check.", path), ErrorIds.DockerfileNotFound, ErrorCategory.ObjectNotFound, Dockerfile));
            }

            try
            {
                dockerfile = DockerfileDocument.Load(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                ThrowTerminatingError(new ErrorRecord(new IOException($"The Dockerfile '{path}' could not be read: {ex.Message}", ex), ErrorIds.DockerfileUnreadable, ErrorCategory.ReadError, Dockerfile));
            }
        }

        if (Runtime is not null && ParameterSetName == PathSet)
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Runtime starts images a Docker engine can pull or already holds; load the archive with 'docker load' and check it with -Source Docker -Runtime Docker."), ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, Path));
        }

        if (Runtime != "Kubernetes" && (Namespace is not null || Kubeconfig is not null || Context is not null))
        {
            ThrowTerminatingError(new ErrorRecord(new ArgumentException("-Namespace, -Kubeconfig and -Context choose the cluster of -Runtime Kubernetes; add -Runtime Kubernetes or leave them out."), ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, Runtime));
        }

        runtime = Runtime switch
        {
            "Docker" => new DockerSessionRunner(DockerHost),
            "Kubernetes" => new KubernetesSessionRuntime(new KubernetesTarget
            {
                Kubeconfig = Kubeconfig is null ? null : GetUnresolvedProviderPathFromPSPath(Kubeconfig),
                Context = Context,
                Namespace = Namespace,
            }),
            _ => null,
        };

        if (runtime is KubernetesSessionRuntime cluster)
        {
            // A kubeconfig that cannot be used fails every image alike: say so once, up front.
            try
            {
                cluster.ResolveNamespace();
            }
            catch (KubernetesException ex)
            {
                ThrowTerminatingError(KubernetesErrors.ToErrorRecord(ex, Kubeconfig ?? Context));
            }

            TimeSpan fastest = ReadinessProbeSettings.Renku.FastestReady;
            if (ProbeTimeout < fastest)
            {
                WriteWarning($"-ProbeTimeout {ProbeTimeout} is shorter than the {fastest.TotalSeconds:0} s Renku's probe needs at best, and a cluster runs Renku's probe unscaled: a session cannot become ready in time. Give at least {fastest.TotalSeconds + 30:0} s.");
            }
        }
        inspector = RegistryInspectors.Create(Credential, SkipCertificateCheck.IsPresent, InsecureRegistry, timeout: RegistryTimeout);
    }

    protected override void ProcessRecord()
    {
        SessionSettings settings;
        try
        {
            settings = CurrentSettings();
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, Environment));
            return;
        }

        ComplianceImageSource source = ParameterSetName == PathSet ? ComplianceImageSource.Archive : Source == "Docker" ? ComplianceImageSource.Docker : ComplianceImageSource.Registry;
        IEnumerable<string?> images = ParameterSetName switch
        {
            EnvironmentSet => new[] { EnvironmentArgument.Image(Environment!) },
            PathSet => ResolveArchives(),
            _ => Image.Length > 0 ? Image : new string?[] { null },
        };

        foreach (string? image in images)
        {
            if (ParameterSetName == EnvironmentSet && string.IsNullOrEmpty(image))
            {
                WriteError(new ErrorRecord(new ArgumentException("The environment has no Image or container_image property; give it one or use -Image."), ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, Environment));
                continue;
            }

            if (image is null && dockerfile is null)
            {
                WriteError(new ErrorRecord(new ArgumentException("Nothing to check: give -Image (or pipe images or environments), -Environment, or -Dockerfile."), ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, null));
                continue;
            }

            if (image is { Length: 0 })
            {
                WriteError(new ErrorRecord(new ImageReferenceException(image, "reference", "The image reference is empty."), ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, image));
                continue;
            }

            if (image is not null && source == ComplianceImageSource.Registry && !ImageReference.TryParse(image, out _, out string? problem))
            {
                WriteError(new ErrorRecord(new ImageReferenceException(image, "reference", problem!), ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument, image)
                {
                    ErrorDetails = new ErrorDetails(problem) { RecommendedAction = "Write the reference as [registry[:port]/]repository[:tag][@sha256:<64 hex>]." },
                });
                continue;
            }

            ISessionRuntime? jobRuntime = null;
            if (image is not null && !TryConfirmRuntime(image, settings, out jobRuntime))
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
            }, image ?? dockerfile?.Path ?? "(settings)"));
        }
    }

    protected override void EndProcessing()
    {
        if (jobs.Count == 0)
        {
            return;
        }

        var messages = new ConcurrentQueue<string>();
        var progress = new QueueProgress(messages);
        var runner = new ComplianceRunner(inspector!);
        using var throttle = new SemaphoreSlim(ThrottleLimit);
        CancellationToken token = cancellation.Token;
        Task<ComplianceReport>[] tasks = jobs.Select(j => Task.Run(async () =>
        {
            await throttle.WaitAsync(token).ConfigureAwait(false);
            try
            {
                return await runner.CheckAsync(j.Job, progress, token).ConfigureAwait(false);
            }
            finally
            {
                throttle.Release();
            }
        }, token)).ToArray();

        // Write* only from this thread: drain what the workers report while they run.
        Task all = Task.WhenAll(tasks);
        while (!all.IsCompleted)
        {
            // WhenAny never throws, whatever the tasks do; failures are reported per image below.
            Task.WhenAny(all, Task.Delay(100)).GetAwaiter().GetResult();
            Drain(messages, tasks);
        }

        Drain(messages, tasks);
        WriteProgress(new ProgressRecord(ProgressActivityId, "Checking image compliance", "Done") { RecordType = ProgressRecordType.Completed });

        string? ci = CiAnnotations.Detect(System.Environment.GetEnvironmentVariable);
        var failing = new List<ComplianceReport>();
        for (int i = 0; i < tasks.Length; i++)
        {
            Task<ComplianceReport> task = tasks[i];
            string target = jobs[i].Target;
            if (task.IsCanceled)
            {
                continue;
            }

            if (task.IsFaulted)
            {
                WriteError(ToError(task.Exception!.GetBaseException(), jobs[i].Job, target));
                continue;
            }

            ComplianceReport report = task.Result;
            WriteObject(report);
            if (ci is not null)
            {
                foreach (string line in CiAnnotations.For(report, ci))
                {
                    WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
                }
            }

            if (report.FailsOn(FailOn))
            {
                failing.Add(report);
            }
        }

        if (failing.Count > 0)
        {
            string list = string.Join("; ", failing.Select(r => $"{r.Image} ({string.Join(", ", r.Failures.Where(f => f.Severity == ComplianceSeverity.Error || FailOn == ComplianceFailOn.Warning && f.Severity == ComplianceSeverity.Warning).Select(f => f.RuleId))})"));
            ThrowTerminatingError(new ErrorRecord(
                new InvalidOperationException($"{failing.Count} of {tasks.Length} image(s) failed Renku compliance at level {FailOn}: {list}. See the reports' Results for what to change."),
                ErrorIds.ComplianceFailed,
                ErrorCategory.InvalidResult,
                failing.Select(r => r.Image).ToArray()));
        }
    }

    protected override void StopProcessing() => cancellation.Cancel();

    private void Drain(ConcurrentQueue<string> messages, Task<ComplianceReport>[] tasks)
    {
        while (messages.TryDequeue(out string? message))
        {
            WriteVerbose(message);
            int done = tasks.Count(t => t.IsCompleted);
            WriteProgress(new ProgressRecord(ProgressActivityId, "Checking image compliance", $"{done} of {tasks.Length} done") { CurrentOperation = message, PercentComplete = tasks.Length == 0 ? 0 : done * 100 / tasks.Length });
        }
    }

    private List<string?> ResolveArchives()
    {
        var paths = new List<string?>();
        foreach (string pattern in Path)
        {
            try
            {
                paths.AddRange(GetResolvedProviderPathFromPSPath(pattern, out _));
            }
            catch (ItemNotFoundException ex)
            {
                WriteError(new ErrorRecord(ex, ErrorIds.ImageArchiveNotFound, ErrorCategory.ObjectNotFound, pattern)
                {
                    ErrorDetails = new ErrorDetails($"No image archive matches '{pattern}'.") { RecommendedAction = "Give the path of a 'docker save' archive or an OCI image layout." },
                });
            }
        }

        return paths;
    }

    private SessionSettings CurrentSettings()
    {
        if (ParameterSetName == EnvironmentSet)
        {
            SessionSettings fromObject = EnvironmentArgument.Read(Environment!);
            return Overlay(fromObject);
        }

        bool isEnvironment = EnvironmentParameters.Any(p => MyInvocation.BoundParameters.ContainsKey(p));
        return isEnvironment
            ? Overlay(new SessionSettings { WorkingDirectory = null, MountDirectory = null })
            : SessionSettings.RenkuDefaults;
    }

    /// <summary>The bound environment parameters over <paramref name="baseSettings"/>.</summary>
    private SessionSettings Overlay(SessionSettings baseSettings)
    {
        var bound = MyInvocation.BoundParameters;
        return new SessionSettings
        {
            Name = bound.ContainsKey(nameof(EnvironmentName)) ? EnvironmentName : baseSettings.Name,
            Port = bound.ContainsKey(nameof(Port)) && Port is int port ? port : baseSettings.Port,
            Uid = bound.ContainsKey(nameof(Uid)) && Uid is int uid ? uid : baseSettings.Uid,
            Gid = bound.ContainsKey(nameof(Gid)) && Gid is int gid ? gid : baseSettings.Gid,
            DefaultUrl = bound.ContainsKey(nameof(DefaultUrl)) && !string.IsNullOrEmpty(DefaultUrl) ? DefaultUrl! : baseSettings.DefaultUrl,
            WorkingDirectory = bound.ContainsKey(nameof(WorkingDirectory)) ? NullIfEmpty(WorkingDirectory) : baseSettings.WorkingDirectory,
            MountDirectory = bound.ContainsKey(nameof(MountDirectory)) ? NullIfEmpty(MountDirectory) : baseSettings.MountDirectory,
            Command = bound.ContainsKey(nameof(Command)) ? NullIfEmpty(Command) : baseSettings.Command,
            Args = bound.ContainsKey(nameof(Args)) ? NullIfEmpty(Args) : baseSettings.Args,
            StripPathPrefix = bound.ContainsKey(nameof(StripPathPrefix)) ? StripPathPrefix == true : baseSettings.StripPathPrefix,
        };
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static string[]? NullIfEmpty(string[]? value) => value is null || value.Length == 0 ? null : value;

    /// <summary>
    /// The runtime for one image. A cluster check creates a pod, so it asks ShouldProcess with the
    /// pod's manifest: -WhatIf prints it, creates nothing and leaves the static checks.
    /// </summary>
    private bool TryConfirmRuntime(string image, SessionSettings settings, out ISessionRuntime? jobRuntime)
    {
        jobRuntime = runtime;
        if (runtime is not KubernetesSessionRuntime cluster)
        {
            return true;
        }

        ClusterCheckPlan plan;
        try
        {
            plan = cluster.Plan(new SessionCheckRequest { Image = image, Settings = settings, ReadinessDeadline = ProbeTimeout });
        }
        catch (KubernetesException ex)
        {
            WriteError(KubernetesErrors.ToErrorRecord(ex, image));
            return false;
        }
        catch (ArgumentException ex)
        {
            WriteError(new ErrorRecord(ex, ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument, image)
            {
                ErrorDetails = new ErrorDetails($"{image}: {ex.Message}") { RecommendedAction = "Fix the environment settings (port 1..65399, uid/gid 1..65535, absolute directories)." },
            });
            return false;
        }

        string description = $"Creating pod {plan.Namespace}/{plan.PodName} to start {image} as a Renku session, then deleting it:{System.Environment.NewLine}{plan.Manifest}";
        if (!ShouldProcess(description, $"Create the session check pod {plan.Namespace}/{plan.PodName} for {image}?", "Cluster session check"))
        {
            jobRuntime = null;
        }

        return true;
    }

    private static ErrorRecord ToError(Exception exception, ComplianceJob job, string target)
    {
        if (exception is RegistryException registry)
        {
            return RegistryErrors.ToErrorRecord(registry, target);
        }

        if (exception is KubernetesException kubernetes)
        {
            return KubernetesErrors.ToErrorRecord(kubernetes, target);
        }

        (string id, ErrorCategory category) = exception switch
        {
            ImageReferenceException => (ErrorIds.InvalidImageReference, ErrorCategory.InvalidArgument),
            DockerEngineException { Unreachable: true } => (ErrorIds.DockerEngineUnavailable, ErrorCategory.ConnectionError),
            DockerEngineException => (ErrorIds.ImageUnreadable, ErrorCategory.ObjectNotFound),
            ArgumentException => (ErrorIds.InvalidEnvironmentSettings, ErrorCategory.InvalidArgument),
            _ when job.Source == ComplianceImageSource.Archive => (ErrorIds.ArchiveUnreadable, ErrorCategory.ReadError),
            _ => (ErrorIds.ImageUnreadable, ErrorCategory.ReadError),
        };
        return new ErrorRecord(exception, id, category, target)
        {
            ErrorDetails = new ErrorDetails($"{target}: {exception.Message}"),
        };
    }

    private sealed class QueueProgress : IProgress<string>
    {
        private readonly ConcurrentQueue<string> queue;

        internal QueueProgress(ConcurrentQueue<string> queue)
        {
            this.queue = queue;
        }

        public void Report(string value) => queue.Enqueue(value);
    }
}
