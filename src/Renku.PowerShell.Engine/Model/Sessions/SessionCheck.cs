namespace Renku.PowerShell;

/// <summary>
/// What happened when the image was started as Renku would start a session: how it was started,
/// the probe's timeline, the answer at the default URL, and whether the session user can write.
/// A runtime (Docker, Kubernetes) fills it; the Session rules judge it.
/// </summary>
public sealed record SessionCheck
{
    /// <summary>The runtime that ran the check (<c>Docker</c>).</summary>
    public string Runtime { get; init; } = string.Empty;

    /// <summary>
    /// How the image was run: <c>Interactive</c> (probed on its port until ready) or <c>Job</c>
    /// (its command run to completion with Renku's job variables, no probe, no ingress).
    /// </summary>
    public SessionKind Kind { get; init; } = SessionKind.Interactive;

    /// <summary>The RENKU_SUBMISSION_ID a job check ran with, or null for an interactive check.</summary>
    public string? SubmissionId { get; init; }

    /// <summary>The image that was started.</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary>The container's name (removed when the check ended).</summary>
    public string? ContainerName { get; init; }

    /// <summary>The network the container was on: the check's own (<c>renku-check-…</c>, removed with it), <c>bridge</c> or <c>host</c>.</summary>
    public string? Network { get; init; }

    /// <summary>The <c>uid:gid</c> the session ran as.</summary>
    public string User { get; init; } = string.Empty;

    public string WorkingDirectory { get; init; } = string.Empty;

    public string MountDirectory { get; init; } = string.Empty;

    /// <summary>The entrypoint the session ran with (the environment's command, else the image's).</summary>
    public IReadOnlyList<string> Entrypoint { get; init; } = Array.Empty<string>();

    /// <summary>The arguments the session ran with (the environment's args, else the image CMD unless a command replaced it).</summary>
    public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();

    /// <summary>The environment variables Renku sets, as given to the container.</summary>
    public IReadOnlyList<string> Environment { get; init; } = Array.Empty<string>();

    /// <summary>The port probed (the environment's port).</summary>
    public int Port { get; init; }

    /// <summary>Where the probe connected (<c>127.0.0.1:8888</c>).</summary>
    public string ProbeAddress { get; init; } = string.Empty;

    /// <summary>How the probe reached the session (<c>container address</c>, <c>published port</c>, <c>host network</c>), or null.</summary>
    public string? ProbeRoute { get; init; }

    public ReadinessProbeSettings Probe { get; init; } = ReadinessProbeSettings.Renku;

    /// <summary>The longest the check waited for readiness; for a job, the longest its command was given.</summary>
    public TimeSpan ReadinessDeadline { get; init; }

    /// <summary>How the check ended.</summary>
    public SessionOutcome Outcome { get; init; }

    /// <summary>The runtime's own word for the outcome (ImagePullBackOff, CrashLoopBackOff, Unhealthy, ...), or null.</summary>
    public string? Reason { get; init; }

    /// <summary>What happened and what to change, in a sentence.</summary>
    public string? Message { get; init; }

    /// <summary>True when the container was created and started.</summary>
    public bool Started { get; init; }

    /// <summary>Why the session could not be started at all (image missing, engine refused), or null.</summary>
    public string? StartError { get; init; }

    /// <summary>From asking the runtime to the session being scheduled on a node (clusters), or null.</summary>
    public TimeSpan? ScheduledAfter { get; init; }

    /// <summary>From asking the runtime to the session container running, or null.</summary>
    public TimeSpan? StartedAfter { get; init; }

    /// <summary>Time from start to the first successful TCP connect, or null.</summary>
    public TimeSpan? FirstConnect { get; init; }

    /// <summary>True when the probe collected its successes before the deadline.</summary>
    public bool Ready { get; init; }

    /// <summary>Time from start to ready, or null.</summary>
    public TimeSpan? TimeToReady { get; init; }

    public int ProbeAttempts { get; init; }

    public int ProbeFailures { get; init; }

    /// <summary>How often the runtime restarted the session container during the check.</summary>
    public int RestartCount { get; init; }

    /// <summary>True when the container's process ended during the check.</summary>
    public bool Exited { get; init; }

    public long? ExitCode { get; init; }

    /// <summary>True when the container was still running at the end of the check.</summary>
    public bool StayedUp { get; init; }

    /// <summary>The URL requested (<c>http://127.0.0.1:8888/sessions/renku-check/</c>), or null when it was not reached.</summary>
    public string? Url { get; init; }

    /// <summary>The final HTTP status after same-host redirects, or null.</summary>
    public int? HttpStatus { get; init; }

    /// <summary>The redirects that were followed, in order.</summary>
    public IReadOnlyList<string> Redirects { get; init; } = Array.Empty<string>();

    /// <summary>Why the HTTP request failed (connection refused, timeout, a redirect to another host), or null.</summary>
    public string? HttpError { get; init; }

    /// <summary>Whether the session user could create a file in the mount directory, or null when it could not be tried.</summary>
    public bool? MountWritable { get; init; }

    /// <summary>The session user's HOME as the container saw it.</summary>
    public string? Home { get; init; }

    /// <summary>Whether the session user could create a file in HOME, or null when it could not be tried.</summary>
    public bool? HomeWritable { get; init; }

    /// <summary>What went wrong trying the write checks, or null.</summary>
    public string? WriteCheckError { get; init; }

    /// <summary>What the runtime recorded about the check (a cluster's events of the check pod).</summary>
    public IReadOnlyList<SessionEvent> Events { get; init; } = Array.Empty<SessionEvent>();

    /// <summary>The last lines the container logged (kept when something failed; at most 20 lines, credentials masked).</summary>
    public IReadOnlyList<string> LogTail { get; init; } = Array.Empty<string>();

    /// <summary>How long the whole check took, cleanup included.</summary>
    public TimeSpan Duration { get; init; }

    /// <summary>True when the container and the volume (or the pod) were removed afterwards.</summary>
    public bool CleanedUp { get; init; }

    /// <summary>Why the cleanup failed and how to finish it by hand, when it did.</summary>
    public string? CleanupError { get; init; }

    public override string ToString() => Kind == SessionKind.Job
        ? $"{Runtime} job {Image}: {Outcome switch { SessionOutcome.Succeeded => "exited 0", SessionOutcome.TimedOut => "still running at the timeout", _ => ExitCode is long code ? $"exited {code}" : Outcome.ToString() }}{(Reason is { } reason && Outcome != SessionOutcome.Succeeded ? $" ({reason})" : string.Empty)}"
        : $"{Runtime} {Image}: {(Ready ? "ready" : "not ready")}{(HttpStatus is int s ? $", HTTP {s}" : string.Empty)}";
}
