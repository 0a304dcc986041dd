using Renku.PowerShell.Concurrency;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Registry;
using Renku.PowerShell.Images;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Compliance;

/// <summary>
/// Runs a whole check for one image: reads the image from its source, optionally starts it in a
/// session runtime, and evaluates the policy's rules. What Test-RenkuImageCompliance and other
/// commands (a build's verification step) call.
/// </summary>
public sealed class ComplianceRunner
{
    private readonly ImageInspector inspector;

    /// <param name="inspector">
    /// Reads registries and archives. Share one across many checks: its HTTP connections, tokens
    /// and blob reads are reused. The caller keeps ownership.
    /// </param>
    public ComplianceRunner(ImageInspector inspector)
    {
        this.inspector = inspector ?? throw new ArgumentNullException(nameof(inspector));
    }

    /// <summary>
    /// Checks many images, at most <paramref name="throttle"/> at once, started in input order, and
    /// hands each job's report (or the exception that stopped it) to <paramref name="checkedJob"/>
    /// in input order, as soon as it and every job before it are done. Whatever ends the run (cancellation, an exception
    /// from the callback), it returns only when every started check has finished its cleanup.
    /// </summary>
    /// <param name="progress">Receives each check's status lines with the count of finished checks.</param>
    public async Task CheckAllAsync(IReadOnlyList<ComplianceJob> jobs, int throttle, Action<int, ComplianceReport?, Exception?> checkedJob, Action<ComplianceProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        ArgumentNullException.ThrowIfNull(checkedJob);
        if (throttle < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttle), throttle, "At least one check must be allowed at a time.");
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(throttle);
        var shared = new SharedReads();
        int done = 0;
        var status = new Progress(line => progress?.Invoke(new ComplianceProgress(Volatile.Read(ref done), jobs.Count, line)));

        // Checks take their slots in input order: check i waits for its turn, which check i-1
        // hands on once it holds a slot. (Tasks that all wait on the semaphore at once would get
        // it in whatever order the thread pool ran them, and the first report, which must come
        // out first, could wait for every other check.)
        var turns = jobs.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        if (turns.Length > 0)
        {
            turns[0].SetResult();
        }

        Task<ComplianceReport>[] checks = jobs.Select((job, index) => Task.Run(
            async () =>
            {
                try
                {
                    await turns[index].Task.WaitAsync(stop.Token).ConfigureAwait(false);
                    await slots.WaitAsync(stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    // Stopped or not, the next check's turn comes (a stopped one sees the stop).
                    if (index + 1 < turns.Length)
                    {
                        turns[index + 1].TrySetResult();
                    }
                }

                try
                {
                    // A slot handed over just as the run stopped starts nothing.
                    stop.Token.ThrowIfCancellationRequested();
                    return await CheckAsync(job, status, shared, stop.Token).ConfigureAwait(false);
                }
                finally
                {
                    slots.Release();
                    Interlocked.Increment(ref done);
                }
            },
            CancellationToken.None)).ToArray();

        try
        {
            for (int i = 0; i < checks.Length; i++)
            {
                ComplianceReport? report = null;
                Exception? failure = null;
                try
                {
                    report = await checks[i].ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                checkedJob(i, report, failure);
            }
        }
        finally
        {
            // Stopped or failed half way: the other checks end (and clean up) before this returns.
            stop.Cancel();
            await Task.WhenAll(checks.Select(c => c.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks one image. Throws <see cref="ImageReferenceException"/>, <see cref="DockerEngineException"/>
    /// or <see cref="Registry.RegistryException"/> when the image cannot be read.
    /// </summary>
    public Task<ComplianceReport> CheckAsync(ComplianceJob job, IProgress<string>? progress, CancellationToken cancellationToken) =>
        CheckAsync(job, progress, null, cancellationToken);

    /// <param name="shared">
    /// What the checks of one run share: a registry image that several jobs check (under the
    /// settings of different environments) is inspected once, and Renku's pull check asked once.
    /// </param>
    private async Task<ComplianceReport> CheckAsync(ComplianceJob job, IProgress<string>? progress, SharedReads? shared, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        ImageReference? reference = null;
        if (job.Source is ComplianceImageSource.Registry or ComplianceImageSource.Docker && job.Image is not null)
        {
            // An image id is fine for a Docker engine; anything else must be a valid reference.
            if (!(job.Source == ComplianceImageSource.Docker && LooksLikeImageId(job.Image)))
            {
                reference = ImageReference.Parse(job.Image);
            }
        }

        ImageInfo? image = null;
        string? unreadable = null;
        PublicAccess? access = null;

        // Renku's own pull check runs beside the module's reading of the registry.
        Task<(PlatformImageCheck? Check, string? Problem)>? platform = null;
        if (job.Platform is not null && job.Source == ComplianceImageSource.Registry && reference is not null)
        {
            progress?.Report($"Asking Renku whether it can pull {job.Image}");
            platform = shared is null
                ? AskPlatformAsync(job.Platform, job.Image!, cancellationToken)
                : shared.Platform(reference.FullName, () => AskPlatformAsync(job.Platform, job.Image!, cancellationToken));
        }

        switch (job.Source)
        {
            case ComplianceImageSource.Docker:
                progress?.Report($"Reading {job.Image} from the Docker engine");
                image = await DockerImageReader.ReadAsync(job.Image!, job.DockerHost, job.Ledger, cancellationToken).ConfigureAwait(false);
                break;
            case ComplianceImageSource.Registry:
                progress?.Report($"Reading {reference} from its registry");
                ImageRead read = shared is null
                    ? await ReadRegistryAsync(reference!, cancellationToken).ConfigureAwait(false)
                    : await shared.Image(reference!.FullName, () => ReadRegistryAsync(reference!, cancellationToken)).ConfigureAwait(false);
                (image, unreadable, access) = (read.Image, read.Unreadable, read.Access);
                break;
            case ComplianceImageSource.Archive:
                progress?.Report($"Reading the archive {job.Image}");
                image = await inspector.InspectArchiveAsync(job.Image!, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = false }, cancellationToken).ConfigureAwait(false);
                reference ??= image.Reference;
                break;
        }

        SessionKind kind = SessionKinds.Decide(job.Kind, job.Launches?.Select(l => l.LauncherType));
        SessionCheck? session = null;
        if (job.Runtime is not null && job.Source == ComplianceImageSource.Archive)
        {
            throw new ArgumentException("A session check starts an image the runtime can pull or already holds; load the archive (docker load) and check it with -Source Docker.");
        }

        if (job.Runtime is not null && job.Image is not null)
        {
            string runnable = job.Image;
            progress?.Report(kind == SessionKind.Job ? $"Running {runnable} as a job in {job.Runtime.Name}" : $"Starting {runnable} as a session in {job.Runtime.Name}");
            session = await job.Runtime.RunAsync(
                new SessionCheckRequest
                {
                    Image = runnable,
                    Settings = job.Settings,
                    Layout = job.Settings.ResolveLayout(image?.Config.WorkingDir),
                    Probe = SessionCheckRequest.ProbeFor(job.ProbeTimeout),
                    ReadinessDeadline = job.ProbeTimeout,
                    Ledger = job.Ledger,
                    Kind = kind,
                },
                progress,
                cancellationToken).ConfigureAwait(false);
        }

        (PlatformImageCheck? platformCheck, string? platformProblem) = platform is null ? (null, null) : await platform.ConfigureAwait(false);
        return ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Reference = reference,
            Image = image,
            ImageUnreadable = unreadable,
            PublicAccess = access,
            PlatformCheck = platformCheck,
            PlatformCheckProblem = platformProblem,
            PlatformCheckSkipped = job.PlatformCheckSkipped,
            Launches = job.Launches,
            Kind = kind,
            Settings = job.Settings,
            Dockerfile = job.Dockerfile,
            Policy = job.Policy,
            Session = session,
        });
    }

    /// <summary>Reads a registry image with its files and public access; an image refused to an anonymous client is a finding, not a failure.</summary>
    private async Task<ImageRead> ReadRegistryAsync(ImageReference reference, CancellationToken cancellationToken)
    {
        try
        {
            return new ImageRead(await inspector.InspectAsync(reference, new ImageInspectionOptions { ReadFiles = true, CheckPublicAccess = true }, cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (RegistryException ex) when (ex.Kind == RegistryErrorKind.Unauthorized && !inspector.HasCredentialFor(reference.Registry))
        {
            // Refused to an anonymous client: that is the answer to "is it public?", and
            // the report says so instead of failing; its content needs credentials.
            return new ImageRead(null, $"{reference.FamiliarName} could not be read without credentials (the registry refused an anonymous request), so its content was not checked; pass -Credential or log in with docker login to check it.", PublicAccess.Private);
        }
    }

    /// <summary>What reading a registry image gave: the image, or why its content could not be read.</summary>
    private sealed record ImageRead(ImageInfo? Image, string? Unreadable, PublicAccess? Access);

    /// <summary>Reads in flight or done during one run, by full image reference.</summary>
    private sealed class SharedReads
    {
        private readonly StartedOnce<ImageRead> images = new();
        private readonly StartedOnce<(PlatformImageCheck? Check, string? Problem)> platform = new();

        internal Task<ImageRead> Image(string key, Func<Task<ImageRead>> read) => images.GetOrStart(key, read);

        internal Task<(PlatformImageCheck? Check, string? Problem)> Platform(string key, Func<Task<(PlatformImageCheck? Check, string? Problem)>> ask) => platform.GetOrStart(key, ask);
    }

    /// <summary>Status lines of the checks in flight, as they come.</summary>
    private sealed class Progress : IProgress<string>
    {
        private readonly Action<string> report;

        internal Progress(Action<string> report)
        {
            this.report = report;
        }

        public void Report(string value) => report(value);
    }

    /// <summary>The platform's answer, or why there is none: a failing check never fails the compliance check.</summary>
    private static async Task<(PlatformImageCheck?, string?)> AskPlatformAsync(RenkuApi.RenkuApiClient client, string image, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.CheckImageAsync(image, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (ex is RenkuApi.RenkuApiException or HttpRequestException or InvalidOperationException or System.Text.Json.JsonException && !cancellationToken.IsCancellationRequested)
        {
            return (null, ex.Message);
        }
    }

    private static bool LooksLikeImageId(string text)
    {
        string hex = text.StartsWith("sha256:", StringComparison.Ordinal) ? text[7..] : text;
        return hex.Length is >= 12 and <= 64 && hex.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f') && !text.Contains('/') && !text.Contains(':', StringComparison.Ordinal) || text.StartsWith("sha256:", StringComparison.Ordinal);
    }
}
