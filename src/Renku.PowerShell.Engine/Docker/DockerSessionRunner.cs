using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Sessions;

using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace Renku.PowerShell.Docker;

/// <summary>
/// Starts an image in a Docker engine exactly as Renku starts a session (command/args, uid:gid,
/// working directory, a fresh volume owned by the session user at the mount directory, the
/// RENKU_* and CNB_APP_DIR variables), watches it with Renku's readiness probe, requests the
/// default URL, tries writing as the session user, and always removes the container and volume.
/// </summary>
public sealed class DockerSessionRunner : ISessionRuntime
{
    /// <summary>The label on every container and volume a check creates, so that none can be mistaken for a user's.</summary>
    internal const string CheckLabel = "io.renku.powershell.check";

    private const int LogLines = 20;
    private readonly string? dockerHost;

    /// <param name="dockerHost">The engine address; null uses DOCKER_HOST or the platform default.</param>
    public DockerSessionRunner(string? dockerHost = null)
    {
        this.dockerHost = dockerHost;
    }

    public string Name => "Docker";

    public async Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string suffix = Guid.NewGuid().ToString("N")[..10];
        string containerName = "renku-check-" + suffix;
        string volumeName = "renku-check-" + suffix;
        SessionSettings settings = request.Settings;
        var check = new SessionCheck
        {
            Runtime = Name,
            Image = request.Image,
            User = $"{settings.Uid}:{settings.Gid}",
            Port = settings.Port,
            Probe = request.Probe,
            ReadinessDeadline = request.ReadinessDeadline,
            Outcome = SessionOutcome.ContainerError,
        };

        // An engine that cannot be reached is the tool's problem, not the image's: it is thrown
        // (DockerEngineException with Unreachable) for the caller's error record, never a verdict.
        using DockerClient client = await DockerEngine.ConnectAsync(dockerHost, null, cancellationToken).ConfigureAwait(false);
        ImageInspectResponse image;
        try
        {
            image = await InspectOrPullAsync(client, request.Image, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (!ex.Unreachable)
        {
            return check with { Outcome = SessionOutcome.ImagePullFailed, StartError = ex.Message, Duration = clock.Elapsed, CleanedUp = true };
        }

        SessionLayout layout = request.LayoutFor(image.Config?.WorkingDir);
        IReadOnlyList<string> entrypoint = settings.Command ?? (IReadOnlyList<string>?)image.Config?.Entrypoint ?? Array.Empty<string>();
        IReadOnlyList<string> arguments = settings.Args ?? (settings.Command is null ? (IReadOnlyList<string>?)image.Config?.Cmd ?? Array.Empty<string>() : Array.Empty<string>());
        string baseUrlPath = request.BaseUrlPath.TrimEnd('/');
        string probeHost = DockerEngine.ReachableHost(dockerHost);
        string port = settings.Port.ToString(CultureInfo.InvariantCulture);
        List<string> environment = SessionVariables.For(settings, layout, baseUrlPath, $"http://{probeHost}:{port}{baseUrlPath}", request.ProjectId, request.LauncherId).Select(v => v.Key + "=" + v.Value).ToList();

        bool useBridge = await HasBridgeAsync(client, cancellationToken).ConfigureAwait(false);
        string portKey = port + "/tcp";
        check = check with
        {
            ContainerName = containerName,
            Network = useBridge ? "bridge" : "host",
            WorkingDirectory = layout.WorkingDirectory,
            MountDirectory = layout.MountDirectory,
            Entrypoint = entrypoint,
            Arguments = arguments,
            Environment = environment,
        };

        // Both are recorded before they are asked for: a stop that lands while a create call is in
        // flight still removes what the engine made of it, by name.
        var created = new Resources(request.Ledger, containerName, volumeName, DockerHostResolver.Resolve(dockerHost).ToString());
        try
        {
            // A fresh volume owned by the session user, group-writable with setgid, as Kubernetes
            // prepares a volume for a pod with runAsUser and fsGroup.
            var volume = new VolumesCreateParameters
            {
                Name = volumeName,
                Driver = "local",
                DriverOpts = new Dictionary<string, string>
                {
                    ["type"] = "tmpfs",
                    ["device"] = "tmpfs",
                    ["o"] = $"uid={settings.Uid},gid={settings.Gid},mode=2775,size=256m",
                },
                Labels = new Dictionary<string, string> { [CheckLabel] = "session" },
            };
            created.TrackVolume();
            await CreateCall.RunAsync(token => client.Volumes.CreateAsync(volume, token), created.VolumeSettled, cancellationToken).ConfigureAwait(false);

            var hostConfig = new HostConfig
            {
                NetworkMode = useBridge ? "bridge" : "host",
                Mounts = new List<Mount> { new() { Type = "volume", Source = volumeName, Target = layout.MountDirectory } },
            };
            var parameters = new CreateContainerParameters
            {
                Name = containerName,
                Image = image.ID,
                User = $"{settings.Uid}:{settings.Gid}",
                WorkingDir = layout.WorkingDirectory,
                Env = environment,
                Entrypoint = settings.Command?.ToList()!,
                Cmd = settings.Args?.ToList()!,
                Labels = new Dictionary<string, string> { [CheckLabel] = "session" },
                HostConfig = hostConfig,
            };
            if (useBridge)
            {
                parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [portKey] = default };
                hostConfig.PortBindings = new Dictionary<string, IList<PortBinding>> { [portKey] = new List<PortBinding> { new() { HostIP = "127.0.0.1", HostPort = string.Empty } } };
            }

            progress?.Report($"Starting {request.Image} as {check.User} in {layout.WorkingDirectory}");
            try
            {
                created.TrackContainer();
                await CreateCall.RunAsync(token => client.Containers.CreateContainerAsync(parameters, token), created.ContainerSettled, cancellationToken).ConfigureAwait(false);
                await client.Containers.StartContainerAsync(containerName, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                check = check with
                {
                    StartError = $"the engine refused to start the session ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}",
                    LogTail = await LogTailAsync(client, containerName, cancellationToken).ConfigureAwait(false),
                };
                return await FinishAsync(client, created, check, clock).ConfigureAwait(false);
            }

            Stopwatch sinceStart = Stopwatch.StartNew();
            check = check with { Started = true, StartedAfter = clock.Elapsed };
            int probePort = settings.Port;
            if (useBridge)
            {
                ContainerInspectResponse started = await client.Containers.InspectContainerAsync(containerName, cancellationToken).ConfigureAwait(false);
                if (started.NetworkSettings?.Ports is { } ports && ports.TryGetValue(portKey, out IList<PortBinding>? bindings) && bindings?.FirstOrDefault() is { } binding && int.TryParse(binding.HostPort, out int published))
                {
                    probePort = published;
                }
            }

            check = check with { ProbeAddress = $"{probeHost}:{probePort}" };
            check = await ProbeAsync(client, containerName, probeHost, probePort, request, check, sinceStart, progress, cancellationToken).ConfigureAwait(false);

            if (check.Ready)
            {
                string path = (settings.StripPathPrefix ? string.Empty : baseUrlPath) + settings.DefaultUrl;
                check = await RequestDefaultUrlAsync(new Uri($"http://{probeHost}:{probePort}{path}"), check, cancellationToken).ConfigureAwait(false);
                check = await WriteChecksAsync(client, containerName, check, cancellationToken).ConfigureAwait(false);
            }

            ContainerInspectResponse final = await client.Containers.InspectContainerAsync(containerName, cancellationToken).ConfigureAwait(false);
            check = check with { StayedUp = final.State?.Running == true };
            if (!check.StayedUp)
            {
                check = check with { Exited = true, ExitCode = final.State?.ExitCode };
            }

            if (!check.Ready || !check.StayedUp || check.HttpStatus is not (>= 200 and <= 399) || check.MountWritable == false)
            {
                check = check with { LogTail = await LogTailAsync(client, containerName, cancellationToken).ConfigureAwait(false) };
            }
        }
        catch (OperationCanceledException)
        {
            await RemoveAsync(client, created).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            check = check with { StartError = check.StartError ?? $"the Docker engine failed during the check: {ex.Message}" };
        }

        return await FinishAsync(client, created, check, clock).ConfigureAwait(false);
    }

    /// <summary>Names the outcome, removes what the check created and stamps the duration.</summary>
    private static async Task<SessionCheck> FinishAsync(DockerClient client, Resources created, SessionCheck check, Stopwatch clock)
    {
        SessionOutcome outcome = check switch
        {
            { Ready: true } => SessionOutcome.Ready,
            { Started: false } => SessionOutcome.ContainerError,
            { Exited: true } => SessionOutcome.Crashed,
            _ => SessionOutcome.ProbeFailed,
        };
        string? cleanupError = await RemoveAsync(client, created).ConfigureAwait(false);
        return check with { Outcome = outcome, Duration = clock.Elapsed, CleanedUp = cleanupError is null, CleanupError = cleanupError };
    }

    private static async Task<SessionCheck> ProbeAsync(DockerClient client, string container, string host, int port, SessionCheckRequest request, SessionCheck check, Stopwatch sinceStart, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ReadinessProbeSettings probe = request.Probe;

        // Attempts follow the probe's schedule from the container's start, as the kubelet's do:
        // the first after the initial delay, then one each period.
        TimeSpan due = probe.InitialDelay;
        await WaitUntilAsync(sinceStart, due, cancellationToken).ConfigureAwait(false);
        int successes = 0;
        while (true)
        {
            ContainerInspectResponse state = await client.Containers.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
            if (state.State?.Running != true)
            {
                progress?.Report($"The session exited with code {state.State?.ExitCode}");
                return check with { Exited = true, ExitCode = state.State?.ExitCode };
            }

            check = check with { ProbeAttempts = check.ProbeAttempts + 1 };
            if (await TryConnectAsync(host, port, probe.Timeout, cancellationToken).ConfigureAwait(false))
            {
                check = check with { FirstConnect = check.FirstConnect ?? sinceStart.Elapsed };
                successes++;
                if (successes >= probe.SuccessThreshold)
                {
                    progress?.Report($"Ready after {sinceStart.Elapsed.TotalSeconds:0.0} s");
                    return check with { Ready = true, TimeToReady = sinceStart.Elapsed };
                }
            }
            else
            {
                successes = 0;
                check = check with { ProbeFailures = check.ProbeFailures + 1 };
            }

            progress?.Report($"Probe {check.ProbeAttempts}: {successes}/{probe.SuccessThreshold} successes, {check.ProbeFailures} failures");
            due += probe.Period;
            if (due < sinceStart.Elapsed)
            {
                // An attempt that overran its period: the next one is due now.
                due = sinceStart.Elapsed;
            }

            if (due > request.ReadinessDeadline)
            {
                return check;
            }

            await WaitUntilAsync(sinceStart, due, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits until <paramref name="clock"/> shows at least <paramref name="due"/>. A delay alone can
    /// end a little early (it counts whole milliseconds of a coarser clock), which would make a
    /// session look ready sooner than the probe allows.
    /// </summary>
    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan due, CancellationToken cancellationToken)
    {
        for (int round = 0; round < 100; round++)
        {
            TimeSpan left = due - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(left.TotalMilliseconds) + 1), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<bool> TryConnectAsync(string host, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(timeout);
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(host, port, attempt.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>GET with redirects followed only while they stay on the same host and port, as the kubelet does.</summary>
    private static async Task<SessionCheck> RequestDefaultUrlAsync(Uri url, SessionCheck check, CancellationToken cancellationToken)
    {
        check = check with { Url = url.ToString() };
        using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = TimeSpan.FromSeconds(10) };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(20) };
        Uri current = url;
        var redirects = new List<string>();
        try
        {
            for (int hop = 0; hop <= 10; hop++)
            {
                using HttpResponseMessage response = await http.GetAsync(current, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                int status = (int)response.StatusCode;
                check = check with { HttpStatus = status };
                if (status is >= 300 and <= 399 && response.Headers.Location is { } location)
                {
                    Uri next = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (!string.Equals(next.Host, current.Host, StringComparison.OrdinalIgnoreCase) || next.Port != current.Port)
                    {
                        redirects.Add(next + " (another host: not followed)");
                        break;
                    }

                    redirects.Add(next.ToString());
                    current = next;
                    continue;
                }

                break;
            }
        }
        catch (HttpRequestException ex)
        {
            check = check with { HttpError = ex.Message };
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            check = check with { HttpError = "no answer within 20 s" };
        }

        return check with { Redirects = redirects };
    }

    /// <summary>As the session user, creates and removes a file in the mount directory and in HOME.</summary>
    private static async Task<SessionCheck> WriteChecksAsync(DockerClient client, string container, SessionCheck check, CancellationToken cancellationToken)
    {
        const string Script = "m=\"$1/.renku-check-$$\"; if touch \"$m\" 2>/dev/null; then rm -f \"$m\"; echo mount=yes; else echo mount=no; fi; " +
            "echo \"home=$HOME\"; h=\"$HOME/.renku-check-$$\"; if touch \"$h\" 2>/dev/null; then rm -f \"$h\"; echo homew=yes; else echo homew=no; fi";
        try
        {
            ContainerExecCreateResponse exec = await client.Exec.CreateContainerExecAsync(
                container,
                new ContainerExecCreateParameters
                {
                    User = check.User,
                    AttachStdout = true,
                    AttachStderr = true,
                    Cmd = new List<string> { "/bin/sh", "-c", Script, "sh", check.MountDirectory },
                },
                cancellationToken).ConfigureAwait(false);
            string stdout;
            using (MultiplexedStream stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), cancellationToken).ConfigureAwait(false))
            {
                (stdout, _) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            }

            ContainerExecInspectResponse result = await client.Exec.InspectContainerExecAsync(exec.ID, cancellationToken).ConfigureAwait(false);
            if (result.ExitCode is not 0)
            {
                return check with { WriteCheckError = $"/bin/sh in the image could not run the check (exit code {result.ExitCode})" };
            }

            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith("mount=", StringComparison.Ordinal))
                {
                    check = check with { MountWritable = line == "mount=yes" };
                }
                else if (line.StartsWith("homew=", StringComparison.Ordinal))
                {
                    check = check with { HomeWritable = line == "homew=yes" };
                }
                else if (line.StartsWith("home=", StringComparison.Ordinal))
                {
                    check = check with { Home = line["home=".Length..] };
                }
            }

            return check;
        }
        catch (DockerApiException ex)
        {
            return check with { WriteCheckError = $"the engine could not run a command in the session ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}" };
        }
    }

    private static async Task<IReadOnlyList<string>> LogTailAsync(DockerClient client, string container, CancellationToken cancellationToken)
    {
        try
        {
            using MultiplexedStream stream = await client.Containers.GetContainerLogsAsync(
                container,
                new ContainerLogsParameters { ShowStdout = true, ShowStderr = true, Tail = LogLines.ToString(CultureInfo.InvariantCulture) },
                cancellationToken).ConfigureAwait(false);
            (string stdout, string stderr) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            return (stdout + "\n" + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(LogLines).ToArray();
        }
        catch (Exception ex) when (ex is DockerApiException or IOException or HttpRequestException)
        {
            return new[] { "(logs unavailable: " + ex.Message + ")" };
        }
    }

    private static async Task<ImageInspectResponse> InspectOrPullAsync(DockerClient client, string image, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerImageNotFoundException)
        {
            // Renku pulls session images every time; the engine here pulls once, anonymously.
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            throw new DockerEngineException($"The Docker engine could not be reached during the session check: {ex.Message}. Start the engine, or point -DockerHost (or DOCKER_HOST) at a running one.", ex) { Unreachable = true };
        }

        progress?.Report($"Pulling {image}");
        try
        {
            await client.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = image }, new AuthConfig(), new Progress<JSONMessage>(), cancellationToken).ConfigureAwait(false);
            return await client.Images.InspectImageAsync(image, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerApiException ex)
        {
            throw new DockerEngineException($"the image '{image}' is not in the engine and could not be pulled anonymously ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}", ex);
        }
    }

    private static async Task<bool> HasBridgeAsync(DockerClient client, CancellationToken cancellationToken)
    {
        IList<NetworkResponse> networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken).ConfigureAwait(false);
        return networks.Any(n => n.Name == "bridge" && n.Driver == "bridge");
    }

    /// <summary>
    /// Removes what the check created (by name, so that a create call cut short by a stop is
    /// covered too), within one shared time limit whatever happened to the caller's token.
    /// Null when everything is gone, else what is left and how to remove it.
    /// </summary>
    private static async Task<string?> RemoveAsync(DockerClient client, Resources created)
    {
        using var limit = new CancellationTokenSource(CleanupLedger.RemovalTimeout);
        var failures = new List<string>();
        if (created.Container is { } container)
        {
            try
            {
                await client.Containers.RemoveContainerAsync(created.ContainerName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, limit.Token).ConfigureAwait(false);
                container.Dispose();
            }
            catch (DockerContainerNotFoundException) when (created.ContainerCreateEnded)
            {
                container.Dispose();
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                // A 404 while the create call was still unanswered: the engine may yet make it.
                failures.Add($"container {created.ContainerName} ({ex.Message})");
            }
        }

        if (created.Volume is { } volume)
        {
            try
            {
                await client.Volumes.RemoveAsync(created.VolumeName, true, limit.Token).ConfigureAwait(false);
                volume.Dispose();
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && created.VolumeCreateEnded)
            {
                volume.Dispose();
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                failures.Add($"volume {created.VolumeName} ({ex.Message})");
            }
        }

        return failures.Count == 0 ? null : $"Could not remove {string.Join(" and ", failures)}; remove by hand with docker rm -f {created.ContainerName} and docker volume rm {created.VolumeName}.";
    }

    /// <summary>The container and volume of one check, each recorded in the ledger from the moment it is asked for.</summary>
    private sealed class Resources
    {
        private readonly CleanupLedger ledger;
        private readonly string engine;

        internal Resources(CleanupLedger ledger, string containerName, string volumeName, string engine)
        {
            this.ledger = ledger;
            this.engine = engine;
            ContainerName = containerName;
            VolumeName = volumeName;
        }

        internal string ContainerName { get; }

        internal string VolumeName { get; }

        internal IDisposable? Container { get; private set; }

        internal IDisposable? Volume { get; private set; }

        /// <summary>True once the create call of the container was answered (so a 404 means it is gone).</summary>
        internal bool ContainerCreateEnded { get; private set; }

        internal bool VolumeCreateEnded { get; private set; }

        internal void ContainerSettled() => ContainerCreateEnded = true;

        internal void VolumeSettled() => VolumeCreateEnded = true;

        internal void TrackVolume() => Volume = ledger.Track($"Docker volume {VolumeName} on {engine} (docker volume rm {VolumeName})");

        internal void TrackContainer() => Container = ledger.Track($"Docker container {ContainerName} on {engine} (docker rm -f {ContainerName})");
    }
}
