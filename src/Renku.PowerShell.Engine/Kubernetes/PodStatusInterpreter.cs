using k8s.Models;

namespace Renku.PowerShell.Kubernetes;

/// <summary>Reads a check pod's status: a verdict when there is one, else the stage it is in.</summary>
internal static class PodStatusInterpreter
{
    private static readonly HashSet<string> PullFailures = new(StringComparer.Ordinal) { "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull" };
    private static readonly HashSet<string> ContainerFailures = new(StringComparer.Ordinal) { "CreateContainerConfigError", "CreateContainerError", "RunContainerError", "PreCreateHookError", "PostStartHookError" };

    internal static V1ContainerStatus? SessionContainer(V1Pod pod) =>
        pod.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == SessionPodBuilder.ContainerName);

    /// <summary>The verdict the pod's status already gives, or null while it is still on its way.</summary>
    internal static PodVerdict? Verdict(V1Pod pod, string image, SessionSettings settings)
    {
        V1ContainerStatus? container = SessionContainer(pod);
        if (container?.Ready == true || Condition(pod, "Ready")?.Status == "True")
        {
            return new PodVerdict(SessionOutcome.Ready, "Ready", $"The session container passed the TCP readiness probe on port {settings.Port}.");
        }

        V1ContainerStateWaiting? waiting = container?.State?.Waiting;
        if (waiting?.Reason is { } reason)
        {
            if (PullFailures.Contains(reason))
            {
                return new PodVerdict(SessionOutcome.ImagePullFailed, reason, $"The cluster could not pull {image} ({reason}: {waiting.Message}). Check the reference and that the image is public, as global environment images must be.");
            }

            if (reason == "CrashLoopBackOff")
            {
                int? exit = container!.LastState?.Terminated?.ExitCode;
                return new PodVerdict(SessionOutcome.Crashed, reason, $"The session process exits{(exit is null ? string.Empty : $" (exit code {exit})")} and Kubernetes restarts it in a loop. See the log lines; check the command/args and that the image runs as uid {settings.Uid} / gid {settings.Gid}.");
            }

            if (ContainerFailures.Contains(reason))
            {
                return new PodVerdict(SessionOutcome.ContainerError, reason, $"The session container could not be started ({reason}: {waiting.Message}). Check the command, working directory and user.");
            }
        }

        if (pod.Status?.Phase is "Failed" or "Succeeded")
        {
            return new PodVerdict(SessionOutcome.Crashed, pod.Status.Reason ?? pod.Status.Phase, $"The pod ended ({pod.Status.Phase}{(pod.Status.Message is null ? string.Empty : ": " + pod.Status.Message)}); a session server must keep running.");
        }

        return null;
    }

    /// <summary>
    /// The verdict a job pod's status already gives: Succeeded or Failed once its container
    /// terminated (exit code and reason from the container), a pull or start failure, or null
    /// while it is still on its way or running.
    /// </summary>
    internal static PodVerdict? JobVerdict(V1Pod pod, string image, SessionSettings settings)
    {
        V1ContainerStatus? container = SessionContainer(pod);
        V1ContainerStateTerminated? terminated = container?.State?.Terminated;
        if (pod.Status?.Phase == "Succeeded" || terminated?.ExitCode == 0 && pod.Status?.Phase != "Failed")
        {
            return new PodVerdict(SessionOutcome.Succeeded, terminated?.Reason ?? "Completed", "The job's command exited 0.");
        }

        if (pod.Status?.Phase == "Failed" || terminated is not null)
        {
            string reason = terminated?.Reason ?? pod.Status?.Reason ?? "Error";
            string code = terminated is null ? "unknown" : terminated.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
            string why = reason == "OOMKilled" ? " (killed: out of memory)" : string.Empty;
            string? detail = terminated?.Message ?? pod.Status?.Message;
            return new PodVerdict(SessionOutcome.Failed, reason, $"The job's command exited with code {code}{why}{(string.IsNullOrWhiteSpace(detail) ? string.Empty : ": " + detail.Trim())}.");
        }

        V1ContainerStateWaiting? waiting = container?.State?.Waiting;
        if (waiting?.Reason is { } waitingReason)
        {
            if (PullFailures.Contains(waitingReason))
            {
                return new PodVerdict(SessionOutcome.ImagePullFailed, waitingReason, $"The cluster could not pull {image} ({waitingReason}: {waiting.Message}). Check the reference and that the image is public, as global environment images must be.");
            }

            if (ContainerFailures.Contains(waitingReason))
            {
                return new PodVerdict(SessionOutcome.ContainerError, waitingReason, $"The job container could not be started ({waitingReason}: {waiting.Message}). Check the command, working directory and that the image runs as uid {settings.Uid} / gid {settings.Gid}.");
            }
        }

        return null;
    }

    /// <summary>The verdict when a job's time ran out: unscheduled, still running, or never started.</summary>
    internal static PodVerdict JobTimeoutVerdict(V1Pod? pod, TimeSpan timeout)
    {
        V1PodCondition? scheduled = pod is null ? null : Condition(pod, "PodScheduled");
        if (scheduled?.Status == "False")
        {
            return new PodVerdict(SessionOutcome.Unschedulable, scheduled.Reason ?? "Unschedulable", $"The job pod was not scheduled within {timeout}: {scheduled.Message}. Check the cluster's capacity, quotas and node selectors.");
        }

        V1ContainerStatus? container = pod is null ? null : SessionContainer(pod);
        if (container?.State?.Running is not null)
        {
            return new PodVerdict(SessionOutcome.TimedOut, "DeadlineExceeded", $"The job's command was still running after {timeout}.");
        }

        string stage = pod is null ? "not created" : Stage(pod);
        return new PodVerdict(SessionOutcome.TimedOut, container?.State?.Waiting?.Reason ?? pod?.Status?.Phase, $"The job did not start within {timeout}; the pod was {stage}. Give it more time with a longer timeout.");
    }

    /// <summary>The verdict when time ran out: unscheduled, never ready on the port, or no verdict.</summary>
    internal static PodVerdict TimeoutVerdict(V1Pod? pod, IReadOnlyList<SessionEvent> events, string image, SessionSettings settings, TimeSpan timeout)
    {
        V1PodCondition? scheduled = pod is null ? null : Condition(pod, "PodScheduled");
        if (scheduled?.Status == "False")
        {
            return new PodVerdict(SessionOutcome.Unschedulable, scheduled.Reason ?? "Unschedulable", $"The pod was not scheduled within {timeout}: {scheduled.Message}. Check the cluster's capacity, quotas and node selectors.");
        }

        SessionEvent? probe = events.LastOrDefault(e => e.Reason == "Unhealthy" && (e.Message ?? string.Empty).Contains("Readiness probe", StringComparison.OrdinalIgnoreCase));
        V1ContainerStatus? container = pod is null ? null : SessionContainer(pod);
        if (container?.State?.Running is not null || probe is not null)
        {
            string seen = probe is null ? string.Empty : $" The last probe said: {probe.Message}";
            return new PodVerdict(SessionOutcome.ProbeFailed, probe?.Reason ?? "NotReady", $"The session process runs but did not pass the TCP readiness probe on port {settings.Port} within {timeout}; Renku would show such a session as starting forever. Make the server listen on 0.0.0.0 at $RENKU_SESSION_PORT ({settings.Port}).{seen}");
        }

        string stage = pod is null ? "not created" : Stage(pod);
        return new PodVerdict(SessionOutcome.TimedOut, container?.State?.Waiting?.Reason ?? pod?.Status?.Phase, $"No verdict within {timeout}; the pod was {stage}. Give it more time with a longer probe timeout.");
    }

    /// <summary>
    /// A few words on where the pod is, for progress. A job's pod has no readiness probe: once its
    /// container runs, the check waits for the command to end.
    /// </summary>
    internal static string Stage(V1Pod pod, SessionKind kind = SessionKind.Interactive)
    {
        V1ContainerStatus? container = SessionContainer(pod);
        if (container?.State?.Waiting?.Reason is { } waiting)
        {
            return waiting == "ContainerCreating" ? "pulling the image and creating the container" : "waiting (" + waiting + ")";
        }

        if (container?.State?.Running is not null)
        {
            return kind == SessionKind.Job ? "running, waiting for the command to end" : "running, waiting for the readiness probe";
        }

        if (Condition(pod, "PodScheduled")?.Status != "True")
        {
            return "waiting to be scheduled";
        }

        return (pod.Status?.Phase ?? "Pending").ToLowerInvariant();
    }

    internal static V1PodCondition? Condition(V1Pod pod, string type) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == type);
}
