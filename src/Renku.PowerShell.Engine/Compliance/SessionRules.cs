using System.Globalization;

namespace Renku.PowerShell.Compliance;

/// <summary>Rules judged from a session check: the image started as Renku starts sessions.</summary>
internal static class SessionRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKS001", "SessionStaysUp", "Session", ComplianceSeverity.Error,
            "The session starts and keeps running.",
            "Make the image's start command run the server in the foreground as the session user; read the log lines in the evidence.",
            StaysUp);
        yield return new ComplianceRule(
            "RKS002", "ReadinessProbePasses", "Session", ComplianceSeverity.Error,
            "Renku's readiness probe (TCP on the environment port) succeeds.",
            "Make the server listen on 0.0.0.0 at the environment port ($RENKU_SESSION_PORT), or set the environment's port to the one it uses.",
            Ready);
        yield return new ComplianceRule(
            "RKS003", "DefaultUrlAnswers", "Session", ComplianceSeverity.Error,
            "The server answers the default URL with a status from 200 to 399.",
            "Serve the default URL under the session's base path ($RENKU_BASE_URL_PATH), or change the environment's default URL.",
            DefaultUrl);
        yield return new ComplianceRule(
            "RKS004", "MountDirectoryWritable", "Session", ComplianceSeverity.Error,
            "The session user can write in the mount directory.",
            "Run the session with the uid/gid of the image user (1000:1000) and do not pre-create the mount directory owned by another user.",
            MountWritable);
        yield return new ComplianceRule(
            "RKS005", "HomeWritable", "Session", ComplianceSeverity.Warning,
            "The session user can write in its HOME.",
            "Create HOME owned by the session user in the image (useradd -m), or point HOME into the mount directory.",
            HomeWritable);
        yield return new ComplianceRule(
            "RKS006", "JobHasCommand", "Job", ComplianceSeverity.Error,
            "An environment run as a job (by non-interactive launchers) has a command, as Renku requires.",
            "Set the environment's command (and args) to what the job runs, e.g. command [\"python\"] with args [\"train.py\"]; Renku refuses a non-interactive launcher without one.",
            JobHasCommand);
        yield return new ComplianceRule(
            "RKS007", "JobCompletes", "Job", ComplianceSeverity.Error,
            "Run as a job (Renku's job variables, the environment's uid/gid and mount directory, no probe), the command exits 0 within the timeout.",
            "Make the command finish and exit 0 when its work is done (read the exit code and the last output lines in the result), or give a longer -ProbeTimeout when it needs more time.",
            JobCompletes);
    }

    private static RuleVerdict NoSession => RuleVerdict.Skip("No session check ran; add -Runtime Docker to start the image as Renku would.");

    private static RuleVerdict JobNotProbed => RuleVerdict.Skip("Checked as a job: Renku runs its command to completion with no readiness probe and no ingress (see RKS007).");

    private static RuleVerdict JobNotWritten => RuleVerdict.Skip("Checked as a job: the write checks need a running session; the job's own writes show in RKS007.");

    private static RuleVerdict NotAJob => RuleVerdict.Skip("Checked as an interactive session (no non-interactive launcher uses the environment; -SessionKind Job checks it as a job).");

    /// <summary>True when the image is judged as a job, whether or not a runtime ran it.</summary>
    private static bool IsJob(ComplianceContext context) => context.Request.Kind == SessionKind.Job;

    private static RuleVerdict StaysUp(ComplianceContext context)
    {
        if (IsJob(context))
        {
            return JobNotProbed;
        }

        if (context.Session is not { } session)
        {
            return NoSession;
        }

        string evidence = Timeline(session);
        if (!session.Started)
        {
            return RuleVerdict.Fail($"The session could not be started: {session.StartError}", evidence);
        }

        if (session.Exited || !session.StayedUp)
        {
            string code = session.ExitCode is long c ? c.ToString(CultureInfo.InvariantCulture) : "unknown";
            return RuleVerdict.Fail($"The session's process exited with code {code} during the check; Renku would show the session as Failed. Last log lines: {Tail(session)}", evidence);
        }

        return RuleVerdict.Pass($"The session kept running for {Seconds(session.Duration)}.", evidence);
    }

    private static RuleVerdict Ready(ComplianceContext context)
    {
        if (IsJob(context))
        {
            return JobNotProbed;
        }

        if (context.Session is not { } session)
        {
            return NoSession;
        }

        string evidence = Timeline(session);
        if (!session.Started)
        {
            return RuleVerdict.Skip("The session never started (see RKS001).");
        }

        if (session.Ready)
        {
            return RuleVerdict.Pass($"The readiness probe passed {session.Probe.SuccessThreshold} times on port {session.Port} after {Seconds(session.TimeToReady ?? TimeSpan.Zero)}.", evidence);
        }

        string why = session.Exited
            ? "the process exited before the probe succeeded"
            : session.FirstConnect is null
                ? $"nothing accepted connections on port {session.Port} within {Seconds(session.ReadinessDeadline)} (Renku would leave the session 'starting' forever)"
                : $"connections on port {session.Port} did not succeed {session.Probe.SuccessThreshold} times in a row within {Seconds(session.ReadinessDeadline)}";
        return RuleVerdict.Fail($"The session never became ready: {why}. Make the server listen on 0.0.0.0:{session.Port} ($RENKU_SESSION_PORT). Last log lines: {Tail(session)}", evidence);
    }

    private static RuleVerdict DefaultUrl(ComplianceContext context)
    {
        if (IsJob(context))
        {
            return JobNotProbed;
        }

        if (context.Session is not { } session)
        {
            return NoSession;
        }

        if (!session.Ready)
        {
            return RuleVerdict.Skip("The session never became ready, so the default URL was not requested.");
        }

        string evidence = $"GET {session.Url}" + (session.Redirects.Count > 0 ? " via " + string.Join(" -> ", session.Redirects) : string.Empty) + (session.HttpStatus is int s ? $" = {s}" : string.Empty);
        if (session.HttpStatus is int status && status is >= 200 and <= 399)
        {
            return RuleVerdict.Pass($"{session.Url} answered {status}.", evidence);
        }

        return session.HttpStatus is int bad
            ? RuleVerdict.Fail($"{session.Url} answered {bad}; Renku sends users to the default URL under the session's base path and needs 200 to 399 there. Serve that path, or change the environment's default URL.", evidence)
            : RuleVerdict.Fail($"{session.Url} could not be fetched: {session.HttpError}.", evidence);
    }

    private static RuleVerdict MountWritable(ComplianceContext context)
    {
        if (IsJob(context))
        {
            return JobNotWritten;
        }

        if (context.Session is not { } session)
        {
            return NoSession;
        }

        string evidence = $"user {session.User}, mount directory {session.MountDirectory}";
        return session.MountWritable switch
        {
            true => RuleVerdict.Pass($"The session user {session.User} can write in {session.MountDirectory}.", evidence),
            false => RuleVerdict.Fail($"The session user {session.User} cannot create files in the mount directory {session.MountDirectory}; users' work could not be saved.", evidence),
            null => RuleVerdict.Skip($"The write check could not run: {session.WriteCheckError ?? "the session was not running"}."),
        };
    }

    private static RuleVerdict HomeWritable(ComplianceContext context)
    {
        if (IsJob(context))
        {
            return JobNotWritten;
        }

        if (context.Session is not { } session)
        {
            return NoSession;
        }

        string evidence = $"user {session.User}, HOME={session.Home ?? "(unknown)"}";
        return session.HomeWritable switch
        {
            true => RuleVerdict.Pass($"The session user can write in HOME ({session.Home}).", evidence),
            false => RuleVerdict.Fail($"The session user {session.User} cannot write in HOME ({session.Home}); tools that keep settings or caches there will fail.", evidence),
            null => RuleVerdict.Skip($"The write check could not run: {session.WriteCheckError ?? "the session was not running"}."),
        };
    }

    private static RuleVerdict JobHasCommand(ComplianceContext context)
    {
        if (!IsJob(context))
        {
            return NotAJob;
        }

        string why = JobReason(context);
        if (context.Settings.Command is { Count: > 0 } command)
        {
            string arguments = context.Settings.Args is { Count: > 0 } args ? " " + string.Join(' ', args) : string.Empty;
            return RuleVerdict.Pass($"The job runs '{string.Join(' ', command)}{arguments}'.", why);
        }

        return RuleVerdict.Fail($"The environment is run as a job ({why}) but has no command; Renku requires one for non-interactive launchers, so they cannot be created with this environment.", why);
    }

    private static RuleVerdict JobCompletes(ComplianceContext context)
    {
        if (!IsJob(context))
        {
            return NotAJob;
        }

        if (context.Session is not { } session)
        {
            return RuleVerdict.Skip("No job was run; add -Runtime Docker (or Kubernetes) to run the command as Renku runs a job.");
        }

        string evidence = JobTimeline(session);
        string code = session.ExitCode is long c ? c.ToString(CultureInfo.InvariantCulture) : "unknown";
        return session.Outcome switch
        {
            SessionOutcome.Succeeded => RuleVerdict.Pass($"The job's command exited 0 after {Seconds(session.Duration)}.", evidence),
            SessionOutcome.TimedOut when session.Started => RuleVerdict.Fail($"The job's command was still running after {Seconds(session.ReadinessDeadline)} and was stopped. Last output lines: {Tail(session)}", evidence),
            SessionOutcome.TimedOut => RuleVerdict.Fail($"The job did not start within {Seconds(session.ReadinessDeadline)}: {session.Message ?? session.StartError ?? "no verdict"}.", evidence),
            SessionOutcome.ImagePullFailed => RuleVerdict.Fail($"The job could not be started: the image could not be pulled ({session.StartError ?? session.Message}).", evidence),
            SessionOutcome.ContainerError or SessionOutcome.Unschedulable => RuleVerdict.Fail($"The job could not be started: {session.StartError ?? session.Message}. Last output lines: {Tail(session)}", evidence),
            _ when session.Reason == "OOMKilled" => RuleVerdict.Fail($"The job's command was killed for using more memory than it was given (exit code {code}, OOMKilled). Last output lines: {Tail(session)}", evidence),
            _ => RuleVerdict.Fail($"The job's command exited with code {code}{(session.Reason is { } reason && reason != "Error" ? $" ({reason})" : string.Empty)}; Renku would show the job as failed. Last output lines: {Tail(session)}", evidence),
        };
    }

    /// <summary>Why the image is judged as a job: the non-interactive launchers that use it, else that a job check was asked for.</summary>
    private static string JobReason(ComplianceContext context)
    {
        List<string> launchers = context.Request.Launches?.Where(l => Sessions.SessionKinds.IsNonInteractive(l.LauncherType)).Select(l => $"'{l.LauncherName}'").ToList() ?? new List<string>();
        return launchers.Count switch
        {
            0 => "a job check was asked for",
            1 => "non-interactive launcher " + launchers[0],
            _ => "non-interactive launchers " + string.Join(", ", launchers),
        };
    }

    private static string JobTimeline(SessionCheck session)
    {
        var parts = new List<string> { $"{session.Runtime} {session.Network ?? string.Empty} job, user {session.User}, mount {session.MountDirectory}, timeout {Seconds(session.ReadinessDeadline)}" };
        if (session.Entrypoint.Count + session.Arguments.Count > 0)
        {
            parts.Add("ran " + Sessions.OutputTail.Scrub(string.Join(' ', session.Entrypoint.Concat(session.Arguments))));
        }

        parts.Add(session.Outcome == SessionOutcome.TimedOut ? "timed out" : $"exit code {session.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        return string.Join("; ", parts);
    }

    private static string Timeline(SessionCheck session)
    {
        var parts = new List<string> { $"{session.Runtime} {session.Network ?? string.Empty} user {session.User}, port {session.Port}, probe {session.Probe}" };
        if (session.FirstConnect is TimeSpan first)
        {
            parts.Add($"first connect after {Seconds(first)}");
        }

        if (session.TimeToReady is TimeSpan ready)
        {
            parts.Add($"ready after {Seconds(ready)}");
        }

        parts.Add($"{session.ProbeAttempts} probes, {session.ProbeFailures} failed");
        if (session.Exited)
        {
            parts.Add($"exited with {session.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "?"}");
        }

        return string.Join("; ", parts);
    }

    private static string Tail(SessionCheck session) =>
        session.LogTail.Count == 0 ? "(none)" : string.Join(" | ", session.LogTail);

    private static string Seconds(TimeSpan value) => value.TotalSeconds.ToString("0.0#", CultureInfo.InvariantCulture) + " s";
}
