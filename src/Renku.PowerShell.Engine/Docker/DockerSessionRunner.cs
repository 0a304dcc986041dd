using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Renku.PowerShell.Compliance;

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
        SessionCheck NotStarted(string error) => new() { Runtime = Name, Image = request.Image, User = $"{settings.Uid}:{settings.Gid}", Port = settings.Port, Probe = request.Probe, ReadinessDeadline = request.ReadinessDeadline, StartError = error, Duration = clock.Elapsed, CleanedUp = true };

        DockerClient connected;
        try
        {
            connected = await DockerEngine.ConnectAsync(dockerHost, null, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex) when (!ex.InvalidAddress)
        {
            return NotStarted(ex.Message);
        }

        using DockerClient client = connected;
        ImageInspectResponse image;
        try
        {
            image = await InspectOrPullAsync(client, request.Image, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex)
        {
            return NotStarted(ex.Message);
        }

        SessionLayout layout = request.Layout ?? settings.ResolveLayout(image.Config?.WorkingDir);
        IReadOnlyList<string> entrypoint = settings.Command ?? (IReadOnlyList<string>?)image.Config?.Entrypoint ?? Array.Empty<string>();
        IReadOnlyList<string> arguments = settings.Args ?? (settings.Command is null ? (IReadOnlyList<string>?)image.Config?.Cmd ?? Array.Empty<string>() : Array.Empty<string>());
        string baseUrlPath = request.BaseUrlPath.TrimEnd('/');
        string probeHost = DockerEngine.ReachableHost(dockerHost);
        var environment = new List<string>
        {
            "RENKU_SESSION=1",
            "RENKU_SESSION_IP=0.0.0.0",
            "RENKU_SESSION_PORT=" + settings.Port.ToString(CultureInfo.InvariantCulture),
            "RENKU_BASE_URL_PATH=" + baseUrlPath,
            $"RENKU_BASE_URL=http://{probeHost}:{settings.Port.ToString(CultureInfo.InvariantCulture)}{baseUrlPath}",
            "RENKU_MOUNT_DIR=" + layout.MountDirectory,
            "RENKU_WORKING_DIR=" + layout.WorkingDirectory,
            "RENKU_PROJECT_ID=",
            "RENKU_LAUNCHER_ID=",
            "CNB_APP_DIR=" + layout.WorkingDirectory,
        };

        bool useBridge = await HasBridgeAsync(client, cancellationToken).ConfigureAwait(false);
        string portKey = settings.Port.ToString(CultureInfo.InvariantCulture) + "/tcp";
        var check = new Builder
        {
            Runtime = Name,
            Image = request.Image,
            ContainerName = containerName,
            Network = useBridge ? "bridge" : "host",
            User = $"{settings.Uid}:{settings.Gid}",
            WorkingDirectory = layout.WorkingDirectory,
            MountDirectory = layout.MountDirectory,
            Entrypoint = entrypoint,
            Arguments = arguments,
            Environment = environment,
            Port = settings.Port,
            Probe = request.Probe,
            ReadinessDeadline = request.ReadinessDeadline,
        };

        bool volumeCreated = false;
        string? containerId = null;
        try
        {
            // A fresh volume owned by the session user, group-writable with setgid, as Kubernetes
            // prepares a volume for a pod with runAsUser and fsGroup.
            await client.Volumes.CreateAsync(
                new VolumesCreateParameters
                {
                    Name = volumeName,
                    Driver = "local",
                    DriverOpts = new Dictionary<string, string>
                    {
                        ["type"] = "tmpfs",
                        ["device"] = "tmpfs",
                        ["o"] = $"uid={settings.Uid},gid={settings.Gid},mode=2775,size=256m",
                    },
                    Labels = new Dictionary<string, string> { ["io.renku.powershell.check"] = "session" },
                },
                cancellationToken).ConfigureAwait(false);
            volumeCreated = true;

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
                Labels = new Dictionary<string, string> { ["io.renku.powershell.check"] = "session" },
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
                containerId = (await client.Containers.CreateContainerAsync(parameters, cancellationToken).ConfigureAwait(false)).ID;
                await client.Containers.StartContainerAsync(containerId, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
            }
            catch (DockerApiException ex)
            {
                check.StartError = $"the engine refused to start the session ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}";
                if (containerId is not null)
                {
                    check.LogTail = await LogTailAsync(client, containerId, cancellationToken).ConfigureAwait(false);
                }

                return check.Build(clock.Elapsed, cleanedUp: await CleanUpAsync(client, containerId, volumeCreated ? volumeName : null).ConfigureAwait(false));
            }

            Stopwatch sinceStart = Stopwatch.StartNew();
            check.Started = true;
            int probePort = settings.Port;
            if (useBridge)
            {
                ContainerInspectResponse started = await client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
                if (started.NetworkSettings?.Ports is { } ports && ports.TryGetValue(portKey, out IList<PortBinding>? bindings) && bindings?.FirstOrDefault() is { } binding && int.TryParse(binding.HostPort, out int published))
                {
                    probePort = published;
                }
            }

            check.ProbeAddress = $"{probeHost}:{probePort}";
            await ProbeAsync(client, containerId, probeHost, probePort, request, check, sinceStart, progress, cancellationToken).ConfigureAwait(false);

            if (check.Ready)
            {
                string path = (settings.StripPathPrefix ? string.Empty : baseUrlPath) + settings.DefaultUrl;
                await RequestDefaultUrlAsync(new Uri($"http://{probeHost}:{probePort}{path}"), check, cancellationToken).ConfigureAwait(false);
                await WriteChecksAsync(client, containerId, check, cancellationToken).ConfigureAwait(false);
            }

            ContainerInspectResponse final = await client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
            check.StayedUp = final.State?.Running == true;
            if (!check.StayedUp)
            {
                check.Exited = true;
                check.ExitCode = final.State?.ExitCode;
            }

            if (!check.Ready || !check.StayedUp || check.HttpStatus is not (>= 200 and <= 399) || check.MountWritable == false)
            {
                check.LogTail = await LogTailAsync(client, containerId, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            await CleanUpAsync(client, containerId, volumeCreated ? volumeName : null).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            check.StartError ??= $"the Docker engine failed during the check: {ex.Message}";
        }

        bool removed = await CleanUpAsync(client, containerId, volumeCreated ? volumeName : null).ConfigureAwait(false);
        return check.Build(clock.Elapsed, removed);
    }

    private static async Task ProbeAsync(DockerClient client, string containerId, string host, int port, SessionCheckRequest request, Builder check, Stopwatch sinceStart, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        ReadinessProbeSettings probe = request.Probe;
        await Task.Delay(probe.InitialDelay, cancellationToken).ConfigureAwait(false);
        int successes = 0;
        while (true)
        {
            ContainerInspectResponse state = await client.Containers.InspectContainerAsync(containerId, cancellationToken).ConfigureAwait(false);
            if (state.State?.Running != true)
            {
                check.Exited = true;
                check.ExitCode = state.State?.ExitCode;
                progress?.Report($"The session exited with code {check.ExitCode}");
                return;
            }

            check.ProbeAttempts++;
            if (await TryConnectAsync(host, port, probe.Timeout, cancellationToken).ConfigureAwait(false))
            {
                check.FirstConnect ??= sinceStart.Elapsed;
                successes++;
                if (successes >= probe.SuccessThreshold)
                {
                    check.Ready = true;
                    check.TimeToReady = sinceStart.Elapsed;
                    progress?.Report($"Ready after {sinceStart.Elapsed.TotalSeconds:0.0} s");
                    return;
                }
            }
            else
            {
                successes = 0;
                check.ProbeFailures++;
            }

            progress?.Report($"Probe {check.ProbeAttempts}: {successes}/{probe.SuccessThreshold} successes, {check.ProbeFailures} failures");
            if (sinceStart.Elapsed + probe.Period > request.ReadinessDeadline)
            {
                return;
            }

            await Task.Delay(probe.Period, cancellationToken).ConfigureAwait(false);
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
    private static async Task RequestDefaultUrlAsync(Uri url, Builder check, CancellationToken cancellationToken)
    {
        check.Url = url.ToString();
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
                check.HttpStatus = status;
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
            check.HttpError = ex.Message;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            check.HttpError = "no answer within 20 s";
        }

        check.Redirects = redirects;
    }

    /// <summary>As the session user, creates and removes a file in the mount directory and in HOME.</summary>
    private static async Task WriteChecksAsync(DockerClient client, string containerId, Builder check, CancellationToken cancellationToken)
    {
        const string Script = "m=\"$1/.renku-check-$$\"; if touch \"$m\" 2>/dev/null; then rm -f \"$m\"; echo mount=yes; else echo mount=no; fi; " +
            "echo \"home=$HOME\"; h=\"$HOME/.renku-check-$$\"; if touch \"$h\" 2>/dev/null; then rm -f \"$h\"; echo homew=yes; else echo homew=no; fi";
        try
        {
            ContainerExecCreateResponse exec = await client.Exec.CreateContainerExecAsync(
                containerId,
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
                check.WriteCheckError = $"/bin/sh in the image could not run the check (exit code {result.ExitCode})";
                return;
            }

            foreach (string line in stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (line.StartsWith("mount=", StringComparison.Ordinal))
                {
                    check.MountWritable = line == "mount=yes";
                }
                else if (line.StartsWith("homew=", StringComparison.Ordinal))
                {
                    check.HomeWritable = line == "homew=yes";
                }
                else if (line.StartsWith("home=", StringComparison.Ordinal))
                {
                    check.Home = line["home=".Length..];
                }
            }
        }
        catch (DockerApiException ex)
        {
            check.WriteCheckError = $"the engine could not run a command in the session ({(int)ex.StatusCode}): {ex.ResponseBody?.Trim()}";
        }
    }

    private static async Task<IReadOnlyList<string>> LogTailAsync(DockerClient client, string containerId, CancellationToken cancellationToken)
    {
        try
        {
            using MultiplexedStream stream = await client.Containers.GetContainerLogsAsync(
                containerId,
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
            throw new DockerEngineException($"the Docker engine could not be reached: {ex.Message}", ex) { Unreachable = true };
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

    /// <summary>Removes the container and the volume with a fresh time limit, whatever happened before; true when both are gone.</summary>
    private static async Task<bool> CleanUpAsync(DockerClient client, string? containerId, string? volumeName)
    {
        bool clean = true;
        if (containerId is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await client.Containers.RemoveContainerAsync(containerId, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, limit.Token).ConfigureAwait(false);
            }
            catch (DockerContainerNotFoundException)
            {
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                clean = false;
            }
        }

        if (volumeName is not null)
        {
            using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await client.Volumes.RemoveAsync(volumeName, true, limit.Token).ConfigureAwait(false);
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
            {
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                clean = false;
            }
        }

        return clean;
    }

    /// <summary>The check's facts as they are collected.</summary>
    private sealed class Builder
    {
        public string Runtime { get; init; } = string.Empty;
        public string Image { get; init; } = string.Empty;
        public string? ContainerName { get; init; }
        public string? Network { get; init; }
        public string User { get; init; } = string.Empty;
        public string WorkingDirectory { get; init; } = string.Empty;
        public string MountDirectory { get; init; } = string.Empty;
        public IReadOnlyList<string> Entrypoint { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> Arguments { get; init; } = Array.Empty<string>();
        public IReadOnlyList<string> Environment { get; init; } = Array.Empty<string>();
        public int Port { get; init; }
        public ReadinessProbeSettings Probe { get; init; } = ReadinessProbeSettings.Renku;
        public TimeSpan ReadinessDeadline { get; init; }
        public string ProbeAddress { get; set; } = string.Empty;
        public bool Started { get; set; }
        public string? StartError { get; set; }
        public TimeSpan? FirstConnect { get; set; }
        public bool Ready { get; set; }
        public TimeSpan? TimeToReady { get; set; }
        public int ProbeAttempts { get; set; }
        public int ProbeFailures { get; set; }
        public bool Exited { get; set; }
        public long? ExitCode { get; set; }
        public bool StayedUp { get; set; }
        public string? Url { get; set; }
        public int? HttpStatus { get; set; }
        public IReadOnlyList<string> Redirects { get; set; } = Array.Empty<string>();
        public string? HttpError { get; set; }
        public bool? MountWritable { get; set; }
        public string? Home { get; set; }
        public bool? HomeWritable { get; set; }
        public string? WriteCheckError { get; set; }
        public IReadOnlyList<string> LogTail { get; set; } = Array.Empty<string>();

        public SessionCheck Build(TimeSpan duration, bool cleanedUp) => new()
        {
            Runtime = Runtime, Image = Image, ContainerName = ContainerName, Network = Network, User = User,
            WorkingDirectory = WorkingDirectory, MountDirectory = MountDirectory, Entrypoint = Entrypoint, Arguments = Arguments,
            Environment = Environment, Port = Port, ProbeAddress = ProbeAddress, Probe = Probe, ReadinessDeadline = ReadinessDeadline,
            Started = Started, StartError = StartError, FirstConnect = FirstConnect, Ready = Ready, TimeToReady = TimeToReady,
            ProbeAttempts = ProbeAttempts, ProbeFailures = ProbeFailures, Exited = Exited, ExitCode = ExitCode, StayedUp = StayedUp,
            Url = Url, HttpStatus = HttpStatus, Redirects = Redirects, HttpError = HttpError, MountWritable = MountWritable,
            Home = Home, HomeWritable = HomeWritable, WriteCheckError = WriteCheckError, LogTail = LogTail, Duration = duration,
            CleanedUp = cleanedUp,
        };
    }
}
