using System.Diagnostics;
using System.Text;

using k8s;
using k8s.Models;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Http;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// Runs an image the way Renku runs a session, in a real cluster: a short-lived pod with the
/// session container's image, command, user, directories, environment and readiness probe. It
/// watches the pod to Ready, a failure or the timeout, gathers the pod's events and last log
/// lines, and deletes the pod in every case (success, failure, error and cancellation).
/// </summary>
public static class ClusterSessionCheck
{
    private const int MaxWatchRestarts = 1000;

    private static readonly TimeSpan LastLookTimeout = TimeSpan.FromSeconds(10);
    private const int MaxLogBytes = 256 * 1024;

    /// <summary>
    /// The namespace a check would use: the target's, else the kubeconfig context's, else
    /// <c>default</c>. Reads the kubeconfig; contacts nobody.
    /// </summary>
    /// <exception cref="KubernetesException">The kubeconfig is missing or unusable.</exception>
    public static string ResolveNamespace(KubernetesTarget target)
    {
        if (!string.IsNullOrEmpty(target.Namespace))
        {
            return target.Namespace;
        }

        var configuration = KubeconfigResolver.ForProcess().Resolve(target);
        return string.IsNullOrEmpty(configuration.Namespace) ? "default" : configuration.Namespace;
    }

    /// <summary>The pod a check of <paramref name="request"/> would create in <paramref name="namespace"/>; creates nothing.</summary>
    /// <exception cref="SessionSettingsException">The settings are not something Renku would run.</exception>
    public static ClusterCheckPlan Plan(SessionCheckRequest request, string @namespace)
    {
        SessionLayout layout = request.LayoutFor(null);
        return MakePlan(request, layout, SessionPodBuilder.Build(request, layout, SessionPodBuilder.NewPodName(), @namespace));
    }

    /// <summary>Runs the check, waiting at most the request's readiness deadline for a verdict.</summary>
    /// <exception cref="SessionSettingsException">The settings are not something Renku would run (nothing is sent).</exception>
    /// <exception cref="KubernetesException">The cluster could not be used (the pod, if created, is deleted first).</exception>
    /// <exception cref="OperationCanceledException">Cancelled (the pod, if created, is deleted first).</exception>
    public static async Task<SessionCheck> RunAsync(SessionCheckRequest request, ClusterCheckOptions options, CancellationToken cancellationToken)
    {
        SessionVariables.Validate(request.Image, request.Settings);
        if (request.ReadinessDeadline <= TimeSpan.Zero)
        {
            throw new SessionSettingsException("The probe timeout must be positive.");
        }

        using KubernetesConnection connection = KubernetesConnection.Open(options.Target);
        return await RunAsync(connection, request, options, cancellationToken).ConfigureAwait(false);
    }

    internal static async Task<SessionCheck> RunAsync(KubernetesConnection connection, SessionCheckRequest request, ClusterCheckOptions options, CancellationToken cancellationToken)
    {
        string ns = connection.Namespace;
        SessionSettings settings = request.Settings;
        SessionLayout layout = request.LayoutFor(null);
        bool job = request.Kind == SessionKind.Job;
        if (job && request.SubmissionId is null)
        {
            // One submission id for the check, whatever pod name it ends up with.
            request = request.WithSubmissionId(SessionKinds.NewSubmissionId());
        }

        V1Pod pod = SessionPodBuilder.Build(request, layout, SessionPodBuilder.NewPodName(), ns);
        var clock = Stopwatch.StartNew();
        string? createdName = null;
        IDisposable? ledgerEntry = null;
        bool createAnswered = false;
        var observed = new Observations();
        PodVerdict? verdict = null;
        V1Pod? last = null;
        IReadOnlyList<SessionEvent> events = Array.Empty<SessionEvent>();
        IReadOnlyList<string> logs = Array.Empty<string>();
        bool deleted = false;
        string? cleanupError = null;
        (string? Url, int? Status, string? Error) http = (null, null, null);
        try
        {
            for (int attempt = 0; createdName is null; attempt++)
            {
                // Recorded before the call: a stop while it is in flight still knows what to delete.
                string name = pod.Metadata.Name;
                ledgerEntry = request.Ledger.Track($"pod {ns}/{name} (kubectl delete pod -n {ns} {name})");
                try
                {
                    options.Progress?.Invoke($"Creating pod {ns}/{name}");
                    createAnswered = false;
                    last = await CreateCall.RunAsync(
                        token => connection.CallAsync($"create pod {name} in namespace '{ns}'", () => connection.Client.CoreV1.CreateNamespacedPodAsync(pod, ns, cancellationToken: token), token),
                        () => createAnswered = true,
                        cancellationToken).ConfigureAwait(false);
                    createdName = name;
                }
                catch (KubernetesException ex) when (ex.Kind == KubernetesErrorKind.Conflict && attempt == 0)
                {
                    // The name is taken by a pod that is not ours: forget it, try another.
                    ledgerEntry.Dispose();
                    ledgerEntry = null;
                    pod = SessionPodBuilder.Build(request, layout, SessionPodBuilder.NewPodName(), ns);
                }
                catch (KubernetesException ex) when (ex.Kind != KubernetesErrorKind.Unreachable)
                {
                    // The API server answered and refused: nothing was created.
                    ledgerEntry.Dispose();
                    ledgerEntry = null;
                    throw;
                }
            }

            clock.Restart();
            (verdict, last) = await WatchAsync(connection, createdName, request, options, last!, observed, clock, cancellationToken).ConfigureAwait(false);
            events = await ReadEventsAsync(connection, createdName, cancellationToken).ConfigureAwait(false);
            verdict ??= job
                ? PodStatusInterpreter.JobTimeoutVerdict(last, request.ReadinessDeadline)
                : PodStatusInterpreter.TimeoutVerdict(last, events, request.Image, settings, request.ReadinessDeadline);
            logs = await ReadLogsAsync(connection, createdName, last, options.LogLines, cancellationToken).ConfigureAwait(false);
            if (!job && verdict.Outcome == SessionOutcome.Ready)
            {
                options.Progress?.Invoke($"Requesting the default URL of pod {createdName} through the API server");
                http = await FetchDefaultUrlAsync(connection, createdName, settings, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (ledgerEntry is not null)
            {
                // Created, or perhaps created while the call was cancelled: delete by name either way.
                (deleted, cleanupError) = await DeleteAsync(connection, pod.Metadata.Name, options, createAnswered).ConfigureAwait(false);
                if (deleted)
                {
                    ledgerEntry.Dispose();
                }
            }
        }

        if (job)
        {
            return JobResult(request, layout, pod, verdict, last, observed, events, logs, clock, deleted, cleanupError);
        }

        V1ContainerStatus? container = last is null ? null : PodStatusInterpreter.SessionContainer(last);
        bool ready = verdict.Outcome == SessionOutcome.Ready;
        bool neverStarted = NeverStarted(verdict, observed.StartedAfter is not null);
        bool crashed = verdict.Outcome == SessionOutcome.Crashed;
        int probeFailures = events.Where(e => e.Reason == "Unhealthy").Sum(e => e.Count);
        return CommonResult(request, layout, pod, verdict, observed, events, container, neverStarted, clock, deleted, cleanupError) with
        {
            ProbeAddress = $"{pod.Metadata.Name}:{settings.Port} (kubelet TCP probe)",
            Probe = ReadinessProbeSettings.Renku,
            FirstConnect = ready ? observed.VerdictAfter : null,
            Ready = ready,
            TimeToReady = ready ? observed.VerdictAfter : null,
            ProbeAttempts = probeFailures + (ready ? ReadinessProbeSettings.Renku.SuccessThreshold : 0),
            ProbeFailures = probeFailures,
            Exited = crashed,
            ExitCode = container?.LastState?.Terminated?.ExitCode ?? container?.State?.Terminated?.ExitCode,
            StayedUp = !neverStarted && !crashed,
            Url = http.Url,
            HttpStatus = http.Status,
            HttpError = http.Error,
            MountWritable = null,
            HomeWritable = null,
            WriteCheckError = "the cluster check does not exec into the pod; use -Runtime Docker for the write checks",
            LogTail = logs,
        };
    }

    private static async Task<(PodVerdict? Verdict, V1Pod Last)> WatchAsync(KubernetesConnection connection, string name, SessionCheckRequest request, ClusterCheckOptions options, V1Pod created, Observations observed, Stopwatch clock, CancellationToken cancellationToken)
    {
        string ns = connection.Namespace;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(request.ReadinessDeadline);
        V1Pod last = created;
        string? resourceVersion = created.Metadata?.ResourceVersion;
        string? stage = null;

        PodVerdict? Consider(V1Pod pod)
        {
            last = pod;
            observed.Note(pod, clock);
            string now = PodStatusInterpreter.Stage(pod, request.Kind);
            if (now != stage)
            {
                stage = now;
                options.Progress?.Invoke($"Pod {name}: {now}");
            }

            PodVerdict? verdict = Judge(pod, request);
            if (verdict is not null)
            {
                observed.VerdictAfter = clock.Elapsed;
            }

            return verdict;
        }

        PodVerdict? first = Consider(created);
        if (first is not null)
        {
            return (first, last);
        }

        for (int restart = 0; restart < MaxWatchRestarts && !deadline.IsCancellationRequested; restart++)
        {
            try
            {
                Exception? streamError = null;
                // The server may end the stream itself; let it do so only well after our own
                // deadline, so that the two never race on the same connection.
                int remaining = Math.Max(1, (int)Math.Ceiling((request.ReadinessDeadline - clock.Elapsed).TotalSeconds)) + 10;
                var watch = connection.Client.CoreV1.WatchListNamespacedPodAsync(
                    ns, fieldSelector: "metadata.name=" + name, resourceVersion: resourceVersion, timeoutSeconds: remaining, onError: e => streamError ??= e, cancellationToken: deadline.Token);
                await foreach (var (type, item) in watch.ConfigureAwait(false))
                {
                    if (type == WatchEventType.Deleted)
                    {
                        throw new KubernetesException(KubernetesErrorKind.NotFound, $"The check pod {ns}/{name} was deleted by someone else before a verdict.");
                    }

                    if (type is not (WatchEventType.Added or WatchEventType.Modified) || item?.Metadata is null)
                    {
                        // An ERROR event (such as 410 Expired) or a bookmark: read the pod afresh below.
                        break;
                    }

                    resourceVersion = item.Metadata.ResourceVersion;
                    if (Consider(item) is { } verdict)
                    {
                        return (verdict, last);
                    }
                }

                if (streamError is not null && connection.Translate(streamError, $"watch pod {name}", deadline.Token) is { } failure && failure.Kind is not KubernetesErrorKind.Expired)
                {
                    throw failure;
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (connection.Translate(ex, $"watch pod {name}", deadline.Token) is { } failure)
            {
                if (failure.Kind is not KubernetesErrorKind.Expired)
                {
                    throw failure;
                }
            }

            if (deadline.IsCancellationRequested)
            {
                break;
            }

            // The stream ended (server timeout, expiry): read the pod and watch on from there.
            try
            {
                V1Pod current = await connection.CallAsync($"read pod {name}", () => connection.Client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: deadline.Token), deadline.Token).ConfigureAwait(false);
                resourceVersion = current.Metadata?.ResourceVersion;
                if (Consider(current) is { } verdict)
                {
                    return (verdict, last);
                }
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                break;
            }

            // Do not spin when a server ends streams at once.
            await Task.Delay(TimeSpan.FromMilliseconds(200), deadline.Token).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Time is up: one last look, so the timeout verdict sees the latest state. Bounded on its
        // own: the verdict can do with the last state the watch delivered.
        using var lastLook = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        lastLook.CancelAfter(LastLookTimeout);
        try
        {
            last = await connection.CallAsync($"read pod {name}", () => connection.Client.CoreV1.ReadNamespacedPodAsync(name, ns, cancellationToken: lastLook.Token), lastLook.Token).ConfigureAwait(false);
            observed.Note(last, clock);
            return (Judge(last, request), last);
        }
        catch (KubernetesException)
        {
            return (null, last);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, last);
        }
    }

    /// <summary>
    /// Asks the session for its default URL the way Renku's proxy would, through the API server's
    /// pod proxy (the pod's own address is rarely reachable from an admin's machine).
    /// </summary>
    private static async Task<(string? Url, int? Status, string? Error)> FetchDefaultUrlAsync(KubernetesConnection connection, string name, SessionSettings settings, CancellationToken outerToken)
    {
        string defaultUrl = string.IsNullOrEmpty(settings.DefaultUrl) ? "/" : settings.DefaultUrl.StartsWith('/') ? settings.DefaultUrl : "/" + settings.DefaultUrl;
        string path = SessionPodBuilder.BasePath(name) + defaultUrl;
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(outerToken);
        bounded.CancelAfter(LastLookTimeout);
        try
        {
            using var response = await connection.Client.CoreV1.ConnectGetNamespacedPodProxyWithPathWithHttpMessagesAsync(
                $"{name}:{settings.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)}", connection.Namespace, path.TrimStart('/'), cancellationToken: bounded.Token).ConfigureAwait(false);
            return (path, (int)response.Response.StatusCode, null);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response is not null)
        {
            int status = (int)ex.Response.StatusCode;
            return (path, status, status >= 400 ? $"HTTP {status}" : null);
        }
        catch (Exception ex) when (connection.Translate(ex, $"fetch {path} through the pod proxy", bounded.Token) is { } failure)
        {
            return (path, null, failure.Message);
        }
        catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
        {
            return (path, null, $"No answer within {LastLookTimeout}.");
        }
    }

    private static async Task<IReadOnlyList<SessionEvent>> ReadEventsAsync(KubernetesConnection connection, string name, CancellationToken outerToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(outerToken);
        bounded.CancelAfter(LastLookTimeout);
        CancellationToken cancellationToken = bounded.Token;
        try
        {
            Corev1EventList list = await connection.CallAsync($"list events of pod {name}", () => connection.Client.CoreV1.ListNamespacedEventAsync(connection.Namespace, fieldSelector: "involvedObject.name=" + name, limit: 500, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            return (list.Items ?? new List<Corev1Event>())
                .Select(e => new SessionEvent(e.Type, e.Reason, e.Message, e.Count ?? 1, ToOffset(e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp)))
                .OrderBy(e => e.LastSeen ?? DateTimeOffset.MinValue)
                .ToList();
        }
        catch (KubernetesException)
        {
            // Events are evidence, not the verdict: a cluster that hides them still gets a report.
            return Array.Empty<SessionEvent>();
        }
        catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
        {
            return Array.Empty<SessionEvent>();
        }
    }

    private static async Task<IReadOnlyList<string>> ReadLogsAsync(KubernetesConnection connection, string name, V1Pod? pod, int lines, CancellationToken outerToken)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(outerToken);
        bounded.CancelAfter(LastLookTimeout);
        CancellationToken cancellationToken = bounded.Token;
        if (lines <= 0)
        {
            return Array.Empty<string>();
        }

        V1ContainerStatus? container = pod is null ? null : PodStatusInterpreter.SessionContainer(pod);
        bool previous = (container?.RestartCount ?? 0) > 0 && container?.State?.Running is null;
        foreach (bool usePrevious in previous ? new[] { true, false } : new[] { false })
        {
            try
            {
                using Stream stream = await connection.CallAsync($"read the log of pod {name}", () => connection.Client.CoreV1.ReadNamespacedPodLogAsync(name, connection.Namespace, container: SessionPodBuilder.ContainerName, previous: usePrevious, tailLines: lines, limitBytes: MaxLogBytes, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                string text = Encoding.UTF8.GetString(await BoundedBody.ReadAtMostAsync(stream, MaxLogBytes, cancellationToken).ConfigureAwait(false));
                var all = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
                while (all.Count > 0 && all[^1].Length == 0)
                {
                    all.RemoveAt(all.Count - 1);
                }

                return all.Skip(Math.Max(0, all.Count - lines)).ToList();
            }
            catch (KubernetesException)
            {
                // No log yet (the container never started) or no previous run: try the next, else none.
            }
            catch (OperationCanceledException) when (!outerToken.IsCancellationRequested)
            {
                break;
            }
        }

        return Array.Empty<string>();
    }

    /// <summary>Deletes the pod with its own time limit, whatever happened to the caller's token.</summary>
    /// <param name="createAnswered">Whether the create call was answered; until then a 404 may only mean "not made yet".</param>
    private static async Task<(bool Deleted, string? Error)> DeleteAsync(KubernetesConnection connection, string name, ClusterCheckOptions options, bool createAnswered)
    {
        using var cleanup = new CancellationTokenSource(CleanupLedger.RemovalTimeout);
        try
        {
            options.Progress?.Invoke($"Deleting pod {connection.Namespace}/{name}");
            await connection.CallAsync($"delete pod {name}", () => connection.Client.CoreV1.DeleteNamespacedPodAsync(name, connection.Namespace, gracePeriodSeconds: 0, cancellationToken: cleanup.Token), cleanup.Token).ConfigureAwait(false);
            return (true, null);
        }
        catch (KubernetesException ex) when (ex.Kind == KubernetesErrorKind.NotFound)
        {
            return createAnswered ? (true, null) : (false, $"The pod {connection.Namespace}/{name} was not there yet while its create call was still unanswered. Check with kubectl get pod -n {connection.Namespace} {name}.");
        }
        catch (KubernetesException ex)
        {
            return (false, ex.Message + $" Delete it by hand: kubectl delete pod -n {connection.Namespace} {name}");
        }
        catch (OperationCanceledException)
        {
            return (false, $"The delete did not finish within {CleanupLedger.RemovalTimeout}. Delete it by hand: kubectl delete pod -n {connection.Namespace} {name}");
        }
    }

    /// <summary>The verdict a pod's status gives for the kind of check it runs, or null while it is on its way.</summary>
    private static PodVerdict? Judge(V1Pod pod, SessionCheckRequest request) =>
        request.Kind == SessionKind.Job
            ? PodStatusInterpreter.JobVerdict(pod, request.Image, request.Settings)
            : PodStatusInterpreter.Verdict(pod, request.Image, request.Settings);

    /// <summary>What a job check found: the exit code, and the last output lines when it failed.</summary>
    private static SessionCheck JobResult(SessionCheckRequest request, SessionLayout layout, V1Pod pod, PodVerdict verdict, V1Pod? last, Observations observed, IReadOnlyList<SessionEvent> events, IReadOnlyList<string> logs, Stopwatch clock, bool deleted, string? cleanupError)
    {
        V1ContainerStatus? container = last is null ? null : PodStatusInterpreter.SessionContainer(last);
        V1ContainerStateTerminated? terminated = container?.State?.Terminated ?? container?.LastState?.Terminated;
        bool neverStarted = NeverStarted(verdict, observed.StartedAfter is not null || terminated is not null);
        bool succeeded = verdict.Outcome == SessionOutcome.Succeeded;
        return CommonResult(request, layout, pod, verdict, observed, events, container, neverStarted, clock, deleted, cleanupError) with
        {
            Kind = SessionKind.Job,
            SubmissionId = request.SubmissionId,
            Exited = terminated is not null,
            ExitCode = terminated?.ExitCode,
            StayedUp = verdict.Outcome == SessionOutcome.TimedOut && !neverStarted,
            WriteCheckError = "a job check runs the command to completion; there is no running session to write in",
            LogTail = succeeded ? Array.Empty<string>() : OutputTail.Of(logs),
        };
    }

    /// <summary>Whether the container never ran: it could not be pulled, made or placed, or the deadline came with no sign of a start.</summary>
    private static bool NeverStarted(PodVerdict verdict, bool startSeen) =>
        verdict.Outcome is SessionOutcome.ImagePullFailed or SessionOutcome.ContainerError or SessionOutcome.Unschedulable
        || (verdict.Outcome == SessionOutcome.TimedOut && !startSeen);

    /// <summary>What a session check and a job check report alike: the pod as made, the verdict, the timings and the cleanup.</summary>
    private static SessionCheck CommonResult(SessionCheckRequest request, SessionLayout layout, V1Pod pod, PodVerdict verdict, Observations observed, IReadOnlyList<SessionEvent> events, V1ContainerStatus? container, bool neverStarted, Stopwatch clock, bool deleted, string? cleanupError)
    {
        SessionSettings settings = request.Settings;
        ClusterCheckPlan plan = MakePlan(request, layout, pod);
        return new SessionCheck
        {
            Runtime = "Kubernetes",
            Image = request.Image,
            ContainerName = $"{plan.Namespace}/{plan.PodName}",
            Network = "pod",
            User = $"{settings.Uid}:{settings.Gid}",
            WorkingDirectory = plan.WorkingDirectory,
            MountDirectory = plan.MountDirectory,
            Entrypoint = settings.Command ?? Array.Empty<string>(),
            Arguments = settings.Args ?? Array.Empty<string>(),
            Environment = plan.Environment,
            Port = settings.Port,
            ReadinessDeadline = request.ReadinessDeadline,
            Outcome = verdict.Outcome,
            Reason = verdict.Reason,
            Message = verdict.Message,
            Started = !neverStarted,
            StartError = neverStarted ? $"{verdict.Reason}: {verdict.Message}" : null,
            ScheduledAfter = observed.ScheduledAfter,
            StartedAfter = observed.StartedAfter,
            RestartCount = container?.RestartCount ?? 0,
            Events = events,
            Duration = observed.VerdictAfter ?? clock.Elapsed,
            CleanedUp = deleted,
            CleanupError = cleanupError,
        };
    }

    private static ClusterCheckPlan MakePlan(SessionCheckRequest request, SessionLayout layout, V1Pod pod)
    {
        return new ClusterCheckPlan
        {
            PodName = pod.Metadata.Name,
            Namespace = pod.Metadata.NamespaceProperty,
            Image = request.Image,
            WorkingDirectory = layout.WorkingDirectory,
            MountDirectory = layout.MountDirectory,
            Environment = pod.Spec.Containers[0].Env.Select(e => e.Name + "=" + e.Value).ToList(),
            Manifest = KubernetesYaml.Serialize(pod),
        };
    }

    private static DateTimeOffset? ToOffset(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Utc)) : null;

    /// <summary>When the pod was first seen scheduled, started, decided (local clock, from creation).</summary>
    private sealed class Observations
    {
        internal TimeSpan? ScheduledAfter { get; private set; }

        internal TimeSpan? StartedAfter { get; private set; }

        internal TimeSpan? VerdictAfter { get; set; }

        internal void Note(V1Pod pod, Stopwatch clock)
        {
            if (ScheduledAfter is null && PodStatusInterpreter.Condition(pod, "PodScheduled")?.Status == "True")
            {
                ScheduledAfter = clock.Elapsed;
            }

            if (StartedAfter is null && PodStatusInterpreter.SessionContainer(pod)?.State?.Running is not null)
            {
                StartedAfter = clock.Elapsed;
            }
        }
    }
}
