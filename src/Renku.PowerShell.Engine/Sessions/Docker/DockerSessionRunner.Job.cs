using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Renku.PowerShell.Docker;

using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace Renku.PowerShell.Sessions.Docker;

/// <summary>
/// The job check: the image runs its command to completion as Renku runs a non-interactive
/// launcher's session (RENKU_JOB=1, RENKU_SUBMISSION_ID, the environment's uid:gid and a fresh
/// volume at the mount directory, no port published and nothing probed), on the check's own
/// network as a session check, and everything it made is removed however it ends.
/// </summary>
public sealed partial class DockerSessionRunner
{
    private async Task<SessionCheck> RunJobAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        (string containerName, string volumeName, string networkName) = NewNames();
        SessionSettings settings = request.Settings;
        string submission = request.SubmissionId ?? SessionKinds.NewSubmissionId();
        SessionCheck check = FirstCheck(request) with { Kind = SessionKind.Job, SubmissionId = submission };

        using DockerClient client = await DockerEngine.ConnectAsync(dockerHost, null, cancellationToken).ConfigureAwait(false);
        (ImageInspectResponse? image, DockerEngineException? pullError) = await TryInspectOrPullAsync(client, request.Image, progress, cancellationToken).ConfigureAwait(false);
        if (image is null)
        {
            return check with { Outcome = SessionOutcome.ImagePullFailed, Reason = "ImagePullFailed", StartError = pullError!.Message, Message = pullError.Message, Duration = clock.Elapsed, CleanedUp = true };
        }

        string imageId = image.ID;
        SessionLayout layout = request.LayoutFor(image.Config?.WorkingDir);
        List<string> environment = SessionVariables.ForJob(layout, submission, request.ProjectId, request.LauncherId).Select(v => v.Key + "=" + v.Value).ToList();
        string engine = DockerHostResolver.Resolve(dockerHost).ToString();
        bool podman = await IsPodmanAsync(client, cancellationToken).ConfigureAwait(false);
        check = Planned(check, containerName, layout, settings, image, environment);

        var created = new Resources(request.Ledger, containerName, volumeName, networkName, engine);
        return await GuardAsync(
            client,
            created,
            async () =>
            {
                // The check's own network, as for a session: a job reaches what a session would, and
                // nothing of the check is left on a network someone else uses. No port is needed.
                (_, string network) = await ChooseNetworkAsync(client, created, settings.Port, podman, cancellationToken).ConfigureAwait(false);
                check = check with { Network = network };
                await CreateVolumeAsync(client, created, settings, podman, "job", cancellationToken).ConfigureAwait(false);
                CreateContainerParameters parameters = ContainerParameters(created, imageId, settings, layout, environment, network, "job");

                progress?.Report($"Running {request.Image} as a job as {check.User} in {layout.WorkingDirectory}");
                try
                {
                    await CreateAndStartAsync(client, created, parameters, cancellationToken).ConfigureAwait(false);
                }
                catch (DockerApiException ex)
                {
                    string refused = $"the engine refused to start the job ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}";
                    check = check with
                    {
                        Reason = "ContainerError",
                        StartError = refused,
                        Message = refused,
                        LogTail = await JobOutputAsync(client, containerName, cancellationToken).ConfigureAwait(false),
                    };
                    return await StampAsync(client, created, check, SessionOutcome.ContainerError, clock).ConfigureAwait(false);
                }

                check = check with { Started = true, StartedAfter = clock.Elapsed };
                Stopwatch sinceStart = Stopwatch.StartNew();
                bool ended = await WaitForExitAsync(client, containerName, request.ReadinessDeadline, cancellationToken).ConfigureAwait(false);
                ContainerInspectResponse final = await client.Containers.InspectContainerAsync(containerName, cancellationToken).ConfigureAwait(false);
                check = check with { LogTail = await JobOutputAsync(client, containerName, cancellationToken).ConfigureAwait(false) };
                if (!ended || final.State?.Running == true)
                {
                    progress?.Report($"The job was still running after {request.ReadinessDeadline.TotalSeconds:0.#} s; stopping it");
                    return await StampAsync(
                        client,
                        created,
                        check with
                        {
                            StayedUp = true,
                            Reason = "DeadlineExceeded",
                            Message = $"The job's command was still running after {request.ReadinessDeadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s.",
                        },
                        SessionOutcome.TimedOut,
                        clock).ConfigureAwait(false);
                }

                long exitCode = final.State?.ExitCode ?? -1;
                progress?.Report($"The job exited with code {exitCode} after {sinceStart.Elapsed.TotalSeconds:0.0} s");
                check = Ended(check, exitCode, final.State?.OOMKilled == true, final.State?.Error, sinceStart.Elapsed);
                return await StampAsync(client, created, check, check.Outcome, clock).ConfigureAwait(false);
            },
            async ex =>
            {
                string failed = $"the Docker engine failed during the job check: {ex.Message}";
                check = check with { StartError = check.StartError ?? failed, Message = check.Message ?? failed };
                return await StampAsync(client, created, check, check.Started ? SessionOutcome.Failed : SessionOutcome.ContainerError, clock).ConfigureAwait(false);
            }).ConfigureAwait(false);
    }

    /// <summary>
    /// What a job's end says: Succeeded for exit code 0, else Failed with the exit code, the
    /// engine's own error and an out-of-memory kill named (reason <c>OOMKilled</c>); the output
    /// lines are kept only when it failed.
    /// </summary>
    internal static SessionCheck Ended(SessionCheck check, long exitCode, bool outOfMemory, string? engineError, TimeSpan took)
    {
        string? error = string.IsNullOrWhiteSpace(engineError) ? null : engineError.Trim();
        bool succeeded = exitCode == 0 && !outOfMemory;
        return check with
        {
            Outcome = succeeded ? SessionOutcome.Succeeded : SessionOutcome.Failed,
            Exited = true,
            ExitCode = exitCode,
            Reason = succeeded ? "Completed" : outOfMemory ? "OOMKilled" : "Error",
            Message = succeeded
                ? $"The job's command exited 0 after {took.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s."
                : $"The job's command exited with code {exitCode}{(outOfMemory ? " (killed: out of memory)" : string.Empty)}{(error is null ? string.Empty : ": " + error)}.",
            LogTail = succeeded ? Array.Empty<string>() : check.LogTail,
        };
    }

    /// <summary>Waits for the container to end; false when <paramref name="deadline"/> passed first.</summary>
    private static async Task<bool> WaitForExitAsync(DockerClient client, string container, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(deadline);
        try
        {
            await client.Containers.WaitContainerAsync(container, limit.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or SocketException && !cancellationToken.IsCancellationRequested && limit.IsCancellationRequested)
        {
            // The wait's connection was cut by the deadline.
            return false;
        }
    }

    /// <summary>The job's last output lines, bounded and with credentials masked.</summary>
    private static async Task<IReadOnlyList<string>> JobOutputAsync(DockerClient client, string container, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> lines = await LogTailAsync(client, container, cancellationToken).ConfigureAwait(false);
        return OutputTail.Of(lines);
    }
}
