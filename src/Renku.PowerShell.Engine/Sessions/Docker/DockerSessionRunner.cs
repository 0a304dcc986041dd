using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Sessions;

using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace Renku.PowerShell.Sessions.Docker;

/// <summary>
/// Starts an image in a Docker engine exactly as Renku starts a session (command/args, uid:gid,
/// working directory, a fresh volume owned by the session user at the mount directory, the
/// RENKU_* and CNB_APP_DIR variables), watches it with Renku's readiness probe, requests the
/// default URL, tries writing as the session user, and always removes the container, volume and
/// network. The probe reaches that container and nothing else: on a bridge network of the check's
/// own (else the default bridge) at the container's address, or through a port the engine
/// published when that address cannot be reached from here; on the host's network only when the
/// session port is free before the start and its listener is shown to be the container's.
/// </summary>
public sealed partial class DockerSessionRunner : ISessionRuntime
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

    /// <summary>The networks tried, in order (tests narrow it to exercise one).</summary>
    internal IReadOnlyList<SessionNetworkKind> Networks { get; init; } = new[] { SessionNetworkKind.Own, SessionNetworkKind.DefaultBridge, SessionNetworkKind.Host };

    /// <summary>Probe through the published port even when the container's address can be reached (tests of the forwarder rule).</summary>
    internal bool PreferPublishedPort { get; init; }

    public async Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        if (request.Kind == SessionKind.Job)
        {
            return await RunJobAsync(request, progress, cancellationToken).ConfigureAwait(false);
        }

        var clock = Stopwatch.StartNew();
        (string containerName, string volumeName, string networkName) = NewNames();
        SessionSettings settings = request.Settings;
        SessionCheck check = FirstCheck(request);

        // An engine that cannot be reached is the tool's problem, not the image's: it is thrown
        // (DockerEngineException with Unreachable) for the caller's error record, never a verdict.
        using DockerClient client = await DockerEngine.ConnectAsync(dockerHost, null, cancellationToken).ConfigureAwait(false);
        (ImageInspectResponse? image, DockerEngineException? pullError) = await TryInspectOrPullAsync(client, request.Image, progress, cancellationToken).ConfigureAwait(false);
        if (image is null)
        {
            return check with { Outcome = SessionOutcome.ImagePullFailed, StartError = pullError!.Message, Duration = clock.Elapsed, CleanedUp = true };
        }

        string imageId = image.ID;
        SessionLayout layout = request.LayoutFor(image.Config?.WorkingDir);
        string baseUrlPath = request.BaseUrlPath.TrimEnd('/');
        string probeHost = DockerEngine.ReachableHost(dockerHost);
        string port = settings.Port.ToString(CultureInfo.InvariantCulture);
        List<string> environment = SessionVariables.For(settings, layout, baseUrlPath, $"http://{probeHost}:{port}{baseUrlPath}", request.ProjectId, request.LauncherId).Select(v => v.Key + "=" + v.Value).ToList();

        string engine = DockerHostResolver.Resolve(dockerHost).ToString();
        bool podman = await IsPodmanAsync(client, cancellationToken).ConfigureAwait(false);
        string portKey = port + "/tcp";
        check = Planned(check, containerName, layout, settings, image, environment);

        // Everything is recorded before it is asked for: a stop that lands while a create call is
        // in flight still removes what the engine made of it, by name.
        var created = new Resources(request.Ledger, containerName, volumeName, networkName, engine);
        IDisposable? hostPort = null;
        try
        {
            return await GuardAsync(
                client,
                created,
                async () =>
                {
                    (SessionNetworkKind kind, string network) = await ChooseNetworkAsync(client, created, settings.Port, podman, cancellationToken).ConfigureAwait(false);
                    check = check with { Network = network };
                    if (kind == SessionNetworkKind.Host)
                    {
                        // The host's network is shared with everything on the machine: the port must be
                        // free before the start (checks of this process that want it take turns), and the
                        // listener found later must be the container's.
                        hostPort = await SessionNetwork.LeaseHostPortAsync(engine, settings.Port, cancellationToken).ConfigureAwait(false);
                        if (await SessionNetwork.PortTakenAsync(probeHost, settings.Port, cancellationToken).ConfigureAwait(false))
                        {
                            throw new SessionNetworkException(
                                SessionNetworkProblem.PortInUse,
                                settings.Port,
                                $"The engine at {engine} has no network but the host's, and port {settings.Port} on {probeHost} is already in use, so a session started there could not be told from what listens now. Free the port, or give the engine a bridge network (or let it create networks), then check again. Nothing was started.");
                        }
                    }

                    await CreateVolumeAsync(client, created, settings, podman, "session", cancellationToken).ConfigureAwait(false);
                    CreateContainerParameters parameters = ContainerParameters(created, imageId, settings, layout, environment, network, "session");
                    if (kind != SessionNetworkKind.Host)
                    {
                        // A host port the engine picks, for when the container's own address cannot be
                        // reached from here (Docker Desktop, rootless engines, an engine on another host).
                        IPAddress.TryParse(probeHost, out IPAddress? probeAddress);
                        parameters.ExposedPorts = new Dictionary<string, EmptyStruct> { [portKey] = default };
                        parameters.HostConfig!.PortBindings = new Dictionary<string, IList<PortBinding>> { [portKey] = new List<PortBinding> { new() { HostIP = probeAddress is not null && IPAddress.IsLoopback(probeAddress) ? probeHost : string.Empty, HostPort = string.Empty } } };
                    }

                    progress?.Report($"Starting {request.Image} as {check.User} in {layout.WorkingDirectory}");
                    try
                    {
                        await CreateAndStartAsync(client, created, parameters, cancellationToken).ConfigureAwait(false);
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
                    (ProbeRoute route, string targetHost, int targetPort) = await RouteAsync(client, containerName, kind, network, portKey, probeHost, settings.Port, cancellationToken).ConfigureAwait(false);
                    check = check with { ProbeAddress = targetHost.Length == 0 ? string.Empty : $"{targetHost}:{targetPort}", ProbeRoute = SessionNetwork.Describe(route) };
                    progress?.Report($"Probing {targetHost}:{targetPort} ({SessionNetwork.Describe(route)} on {network})");
                    check = await ProbeAsync(client, containerName, targetHost, targetPort, route == ProbeRoute.PublishedPort, request, check, sinceStart, progress, cancellationToken).ConfigureAwait(false);

                    if (check.Ready && route == ProbeRoute.HostNetwork)
                    {
                        await VerifyHostListenerAsync(client, containerName, check.User, settings.Port, engine, cancellationToken).ConfigureAwait(false);
                    }

                    if (check.Ready)
                    {
                        string path = (settings.StripPathPrefix ? string.Empty : baseUrlPath) + settings.DefaultUrl;
                        string urlHost = targetHost.Contains(':', StringComparison.Ordinal) ? "[" + targetHost + "]" : targetHost;
                        check = await RequestDefaultUrlAsync(new Uri($"http://{urlHost}:{targetPort}{path}"), check, cancellationToken).ConfigureAwait(false);
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

                    return await FinishAsync(client, created, check, clock).ConfigureAwait(false);
                },
                async ex =>
                {
                    check = check with { StartError = check.StartError ?? $"the Docker engine failed during the check: {ex.Message}" };
                    return await FinishAsync(client, created, check, clock).ConfigureAwait(false);
                }).ConfigureAwait(false);
        }
        finally
        {
            // Held until the container is gone: the next check on this host port finds it free.
            hostPort?.Dispose();
        }
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
        return await StampAsync(client, created, check, outcome, clock).ConfigureAwait(false);
    }

    private static async Task<SessionCheck> ProbeAsync(DockerClient client, string container, string host, int port, bool mustStayOpen, SessionCheckRequest request, SessionCheck check, Stopwatch sinceStart, IProgress<string>? progress, CancellationToken cancellationToken)
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
            if (await SessionNetwork.ProbeAsync(host, port, probe.Timeout, mustStayOpen, cancellationToken).ConfigureAwait(false))
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

    /// <summary>
    /// The first network of <see cref="Networks"/> the engine gives: a bridge network of the
    /// check's own (recorded before it is asked for), else the default bridge, else the host's
    /// (on podman the default bridge first).
    /// </summary>
    private async Task<(SessionNetworkKind Kind, string Name)> ChooseNetworkAsync(DockerClient client, Resources created, int port, bool podman, CancellationToken cancellationToken)
    {
        var refused = new List<string>();

        // podman's CNI firewall leaves rules on the host for every network it made and removed:
        // there the default bridge comes first (the probe still goes to the container's own address).
        IEnumerable<SessionNetworkKind> order = podman ? Networks.OrderBy(k => k == SessionNetworkKind.DefaultBridge ? 0 : 1) : Networks;
        foreach (SessionNetworkKind kind in order)
        {
            switch (kind)
            {
                case SessionNetworkKind.Own:
                    var parameters = new NetworksCreateParameters
                    {
                        Name = created.NetworkName,
                        Driver = "bridge",
                        Labels = new Dictionary<string, string> { [CheckLabel] = "session" },
                    };
                    created.TrackNetwork();
                    try
                    {
                        await CreateCall.RunAsync(token => client.Networks.CreateNetworkAsync(parameters, token), created.NetworkSettled, cancellationToken).ConfigureAwait(false);
                        return (kind, created.NetworkName);
                    }
                    catch (DockerApiException ex)
                    {
                        // Refused (no bridge driver, no free address pool): nothing was made.
                        created.NetworkRefused();
                        refused.Add($"a network of its own ({(int)ex.StatusCode}: {ex.ResponseBody?.Trim()})");
                    }

                    break;
                case SessionNetworkKind.DefaultBridge:
                    IList<NetworkResponse> networks = await client.Networks.ListNetworksAsync(new NetworksListParameters(), cancellationToken).ConfigureAwait(false);
                    if (networks.Any(n => n.Name == "bridge" && n.Driver == "bridge"))
                    {
                        return (kind, "bridge");
                    }

                    refused.Add("the default bridge (the engine has none)");
                    break;
                default:
                    return (kind, "host");
            }
        }

        throw new SessionNetworkException(SessionNetworkProblem.NoNetwork, port, $"The engine offers no network a session check may use: {string.Join("; ", refused)}. Nothing was started.");
    }

    /// <summary>
    /// Where the probe goes: on a bridge, the container's own address when it answers from here
    /// (connected or refused), else the port the engine published; on the host's network, the
    /// session port of the engine's host.
    /// </summary>
    private async Task<(ProbeRoute Route, string Host, int Port)> RouteAsync(DockerClient client, string container, SessionNetworkKind kind, string network, string portKey, string probeHost, int port, CancellationToken cancellationToken)
    {
        if (kind == SessionNetworkKind.Host)
        {
            return (ProbeRoute.HostNetwork, probeHost, port);
        }

        ContainerInspectResponse started = await client.Containers.InspectContainerAsync(container, cancellationToken).ConfigureAwait(false);
        if (started.State?.Running != true)
        {
            // Ended already: the probe finds it so and connects nowhere.
            return (ProbeRoute.ContainerAddress, string.Empty, port);
        }

        bool local = IPAddress.TryParse(probeHost, out IPAddress? probeAddress) && IPAddress.IsLoopback(probeAddress);
        // podman lists its default network under its own name ("podman") where Docker says "bridge".
        EndpointSettings? endpoint = started.NetworkSettings?.Networks is not { } attached ? null
            : attached.TryGetValue(network, out EndpointSettings? named) ? named
            : attached.Count == 1 ? attached.Values.Single()
            : null;
        if (!PreferPublishedPort && local
            && IPAddress.TryParse(endpoint?.IPAddress, out IPAddress? address)
            && await SessionNetwork.ConnectAsync(address.ToString(), port, TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false) != SessionNetwork.ConnectResult.Unreachable)
        {
            return (ProbeRoute.ContainerAddress, address.ToString(), port);
        }

        if (started.NetworkSettings?.Ports is { } ports && ports.TryGetValue(portKey, out IList<PortBinding>? bindings) && bindings?.FirstOrDefault() is { } binding && int.TryParse(binding.HostPort, out int published))
        {
            return (ProbeRoute.PublishedPort, probeHost, published);
        }

        throw new SessionNetworkException(SessionNetworkProblem.NoNetwork, port, $"The session's address on {network} cannot be reached from here and the engine published no port for it. Nothing is left running.");
    }

    /// <summary>
    /// On the host's network, makes sure the socket that answered the probe is held by a process
    /// of the session (read in the container, as the session user); throws otherwise.
    /// </summary>
    private static async Task VerifyHostListenerAsync(DockerClient client, string container, string user, int port, string engine, CancellationToken cancellationToken)
    {
        SessionNetwork.Ownership owner;
        try
        {
            ContainerExecCreateResponse exec = await client.Exec.CreateContainerExecAsync(
                container,
                new ContainerExecCreateParameters
                {
                    User = user,
                    AttachStdout = true,
                    AttachStderr = true,
                    Cmd = new List<string> { "/bin/sh", "-c", SessionNetwork.OwnershipScript },
                },
                cancellationToken).ConfigureAwait(false);
            string stdout;
            using (MultiplexedStream stream = await client.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters(), cancellationToken).ConfigureAwait(false))
            {
                (stdout, _) = await stream.ReadOutputToEndAsync(cancellationToken).ConfigureAwait(false);
            }

            owner = SessionNetwork.ListenerOwner(stdout, port);
        }
        catch (DockerApiException)
        {
            owner = SessionNetwork.Ownership.Unknown;
        }

        if (owner == SessionNetwork.Ownership.Foreign)
        {
            throw new SessionNetworkException(
                SessionNetworkProblem.PortInUse,
                port,
                $"The engine at {engine} has no network but the host's, and what answered on port {port} is not the session: another process took the port. Free it, or give the engine a bridge network, then check again.");
        }

        if (owner == SessionNetwork.Ownership.Unknown)
        {
            throw new SessionNetworkException(
                SessionNetworkProblem.ListenerUnverified,
                port,
                $"The engine at {engine} has no network but the host's, and the listener on port {port} could not be shown to belong to the session (the check reads the session's sockets with /bin/sh, cat and ls in the image, as the session user). Give the engine a bridge network (or let it create networks) to check this image.");
        }
    }

    /// <summary>True when the engine is podman's Docker-compatible service.</summary>
    private static async Task<bool> IsPodmanAsync(DockerClient client, CancellationToken cancellationToken)
    {
        VersionResponse version = await client.System.GetVersionAsync(cancellationToken).ConfigureAwait(false);
        return version.Components?.Any(c => c.Name?.Contains("Podman", StringComparison.OrdinalIgnoreCase) == true) == true
            || version.Platform?.Name?.Contains("Podman", StringComparison.OrdinalIgnoreCase) == true;
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

        // The network last: the engine refuses to remove one that a container is still on.
        if (created.Network is { } network)
        {
            try
            {
                await client.Networks.DeleteNetworkAsync(created.NetworkName, limit.Token).ConfigureAwait(false);
                network.Dispose();
            }
            catch (DockerNetworkNotFoundException) when (created.NetworkCreateEnded)
            {
                network.Dispose();
            }
            catch (DockerApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound && created.NetworkCreateEnded)
            {
                network.Dispose();
            }
            catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException or OperationCanceledException)
            {
                failures.Add($"network {created.NetworkName} ({ex.Message})");
            }
        }

        return failures.Count == 0 ? null : $"Could not remove {string.Join(" and ", failures)}; remove by hand with docker rm -f {created.ContainerName}, docker volume rm {created.VolumeName} and docker network rm {created.NetworkName}.";
    }

    /// <summary>The container and volume of one check, each recorded in the ledger from the moment it is asked for.</summary>
    private sealed class Resources
    {
        private readonly CleanupLedger ledger;
        private readonly string engine;

        internal Resources(CleanupLedger ledger, string containerName, string volumeName, string networkName, string engine)
        {
            this.ledger = ledger;
            this.engine = engine;
            ContainerName = containerName;
            VolumeName = volumeName;
            NetworkName = networkName;
        }

        internal string NetworkName { get; }

        internal IDisposable? Network { get; private set; }

        internal bool NetworkCreateEnded { get; private set; }

        internal void NetworkSettled() => NetworkCreateEnded = true;

        internal void TrackNetwork() => Network = ledger.Track($"Docker network {NetworkName} on {engine} (docker network rm {NetworkName})");

        /// <summary>The engine refused the network: it does not exist, so it is struck at once.</summary>
        internal void NetworkRefused()
        {
            Network?.Dispose();
            Network = null;
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
