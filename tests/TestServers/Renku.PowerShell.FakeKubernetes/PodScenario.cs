namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// What happens to a pod after it is created: a sequence of kubelet-like steps, each after a
/// delay. The server plays it for every pod created while it is set, and stops when the pod is
/// deleted.
/// </summary>
public sealed class PodScenario
{
    public PodScenario(string name, params PodStep[] steps)
    {
        Name = name;
        Steps = steps;
    }

    public string Name { get; }

    public IReadOnlyList<PodStep> Steps { get; }

    public static TimeSpan DefaultStep { get; } = TimeSpan.FromMilliseconds(60);

    /// <summary>Scheduled, pulled, started, then ready.</summary>
    public static PodScenario Ready(TimeSpan? step = null) => new(
        "ready",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("Jupyter Server is running at http://0.0.0.0:" + p.Port)),
        new PodStep(step ?? DefaultStep, p => p.BecomeReady()));

    /// <summary>The image cannot be pulled: ErrImagePull, then ImagePullBackOff.</summary>
    public static PodScenario ImagePullBackOff(TimeSpan? step = null) => new(
        "image-pull-backoff",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.PullFailed()),
        new PodStep(step ?? DefaultStep, p => p.PullBackOff()));

    /// <summary>The process starts and exits with <paramref name="exitCode"/>, printing <paramref name="lastWords"/>.</summary>
    public static PodScenario CrashLoopBackOff(int exitCode = 1, string lastWords = "exec /cnb/process/web: no such file or directory", TimeSpan? step = null) => new(
        "crash-loop-backoff",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("starting session server")),
        new PodStep(step ?? DefaultStep, p => p.Crash(exitCode, lastWords)));

    /// <summary>The process runs but never listens on the port: readiness probe failures, forever.</summary>
    public static PodScenario NeverReady(TimeSpan? step = null) => new(
        "never-ready",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("listening on 127.0.0.1:9999")),
        new PodStep(step ?? DefaultStep, p => p.ProbeFailed()),
        new PodStep(step ?? DefaultStep, p => p.ProbeFailed()));

    /// <summary>No node can take the pod.</summary>
    public static PodScenario Unschedulable(TimeSpan? step = null) => new(
        "unschedulable",
        new PodStep(step ?? DefaultStep, p => p.Unschedulable()));

    /// <summary>A pod run to completion: scheduled, pulled, started, then its command exits 0 (phase Succeeded).</summary>
    public static PodScenario JobSucceeds(TimeSpan? step = null) => new(
        "job-succeeds",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("job: reading input")),
        new PodStep(step ?? DefaultStep, p => p.Complete(0, null, "job: done, wrote results")));

    /// <summary>
    /// A pod run to completion whose command exits <paramref name="exitCode"/> (phase Failed),
    /// printing <paramref name="lastWords"/>; reason OOMKilled with exit code 137 for one killed for its memory.
    /// </summary>
    public static PodScenario JobFails(int exitCode = 3, string? reason = null, TimeSpan? step = null, params string[] lastWords) => new(
        "job-fails",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("job: reading input")),
        new PodStep(step ?? DefaultStep, p => p.Complete(exitCode, reason, lastWords.Length > 0 ? lastWords : new[] { "job: step 2 of 3", "fatal: no such file: /data/input.csv" })));

    /// <summary>A pod whose command never ends: it runs on until it is deleted.</summary>
    public static PodScenario JobRunsOn(TimeSpan? step = null) => new(
        "job-runs-on",
        new PodStep(step ?? DefaultStep, p => p.Schedule().Pulling()),
        new PodStep(step ?? DefaultStep, p => p.Started("job: waiting for more input")));

    /// <summary>Nothing happens: the pod stays Pending with no status.</summary>
    public static PodScenario Stuck() => new("stuck");

    public static PodScenario? ByName(string name) => name.ToLowerInvariant() switch
    {
        "ready" => Ready(),
        "image-pull-backoff" or "imagepullbackoff" => ImagePullBackOff(),
        "crash-loop-backoff" or "crashloopbackoff" => CrashLoopBackOff(),
        "never-ready" or "probe" => NeverReady(),
        "unschedulable" => Unschedulable(),
        "stuck" => Stuck(),
        "job-succeeds" => JobSucceeds(),
        "job-fails" => JobFails(),
        "job-oom" => JobFails(137, "OOMKilled"),
        "job-runs-on" => JobRunsOn(),
        _ => null,
    };
}

/// <summary>One step of a scenario: wait, then change the pod.</summary>
public sealed record PodStep(TimeSpan Delay, Action<PodEditor> Apply);
