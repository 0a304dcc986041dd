using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// A Kubernetes API server on 127.0.0.1 for tests. Plain HTTP with bearer-token authentication;
/// the core/v1 pods, pods/log and events resources and the amalthea.dev/v1alpha1
/// amaltheasessions resource, namespaced; discovery; list with limit/continue; get; create;
/// delete; watch streams; Status objects for 400/401/403/404/409/410/422.
/// </summary>
public sealed class FakeKubernetesServer : IAsyncDisposable
{
    public const string AmaltheaGroup = "amalthea.dev";
    public const string AmaltheaVersion = "v1alpha1";

    private readonly WebApplication app;
    private readonly ConcurrentDictionary<(string Verb, string Resource), bool> forbidden = new();
    private readonly ConcurrentDictionary<(string Namespace, string Pod), PodLogs> logs = new();
    private readonly ConcurrentDictionary<(string Namespace, string Pod), CancellationTokenSource> scenarios = new();
    private readonly ConcurrentQueue<JsonObject> createdPods = new();
    private readonly ConcurrentQueue<string> deletedPods = new();
    private readonly ConcurrentQueue<string> violations = new();
    private readonly CancellationTokenSource stopping = new();
    private int eventCounter;
    private int expireContinueTokens;

    private FakeKubernetesServer(WebApplication app, string token)
    {
        this.app = app;
        Token = token;
    }

    /// <summary>The bearer token clients must send.</summary>
    public string Token { get; }

    public int Port { get; private set; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    public ObjectStore Store { get; } = new();

    /// <summary>When false, the amalthea.dev group is not served (the CRD is not installed).</summary>
    public bool AmaltheaInstalled { get; set; } = true;

    /// <summary>What happens to pods created through the API; null leaves them Pending.</summary>
    public PodScenario? Scenario { get; set; } = PodScenario.Ready();

    /// <summary>
    /// What happens to pods that run once (restartPolicy Never, as a job check's): by default
    /// their command exits 0 and the pod Succeeds; null leaves them Pending.
    /// </summary>
    public PodScenario? JobScenario { get; set; } = PodScenario.JobSucceeds();

    /// <summary>A delay before every answer, to stand in for the network between a client and a real API server.</summary>
    public TimeSpan Latency { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// What a session answers through the API server's pod proxy (pods/&lt;name&gt;:&lt;port&gt;/proxy/&lt;path&gt;),
    /// given the path: an HTTP status. Only ready pods answer; others give 503.
    /// </summary>
    public Func<string, int> ProxyAnswer { get; set; } = _ => 200;

    /// <summary>Every request: method, path and query (headers are never kept).</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Pods created through the API, as the client sent them.</summary>
    public IReadOnlyList<JsonObject> CreatedPods => createdPods.ToList();

    /// <summary>Names of pods deleted through the API.</summary>
    public IReadOnlyList<string> DeletedPods => deletedPods.ToList();

    /// <summary>Why created session-check pods were refused (see <see cref="PodSpecContract"/>).</summary>
    public IReadOnlyList<string> ContractViolations => violations.ToList();

    public static async Task<FakeKubernetesServer> StartAsync(int port = 0, string? token = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, port));
        WebApplication app = builder.Build();
        var server = new FakeKubernetesServer(app, token ?? "fake-" + Guid.NewGuid().ToString("N"));
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        string address = app.Services.GetService(typeof(IServer)) is IServer s
            ? s.Features.Get<IServerAddressesFeature>()!.Addresses.First()
            : throw new InvalidOperationException("no server");
        server.Port = new Uri(address).Port;
        return server;
    }

    /// <summary>Answers 403 Forbidden to <paramref name="verb"/> (list, get, watch, create, delete) on <paramref name="resource"/>.</summary>
    public void Forbid(string verb, string resource) => forbidden[(verb, resource)] = true;

    /// <summary>The next <paramref name="count"/> list requests with a continue token get 410 Expired.</summary>
    public void ExpireNextContinueTokens(int count) => Interlocked.Exchange(ref expireContinueTokens, count);

    public void AddSession(FakeSession session, string ns = "renku")
    {
        Store.TryAdd("amaltheasessions", ns, session.ToResource(ns), out _);
        if (session.HasPod && !session.Hibernated)
        {
            Store.TryAdd("pods", ns, session.ToPod(ns), out _);
        }
    }

    /// <summary>Changes a pod by hand, with events and log lines, as a scenario step would.</summary>
    public bool EditPod(string ns, string name, Action<PodEditor> edit)
    {
        PodEditor? editor = null;
        if (!Store.Update("pods", ns, name, pod =>
        {
            editor = new PodEditor(pod);
            edit(editor);
        }))
        {
            return false;
        }

        Record(ns, name, editor!);
        return true;
    }

    /// <summary>Writes a kubeconfig that points at this server with its token (or another one).</summary>
    public string WriteKubeconfig(string path, string ns = "renku", string? token = null, string context = "fake")
    {
        string yaml = $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake-cluster
              cluster:
                server: {BaseUrl}
            contexts:
            - name: {context}
              context:
                cluster: fake-cluster
                user: fake-user
                namespace: {ns}
            current-context: {context}
            users:
            - name: fake-user
              user:
                token: {token ?? Token}
            preferences: {"{}"}

            """;
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Waits (bounded) until no scenario plays and no watch is open.</summary>
    public async Task<bool> WaitForQuietAsync(TimeSpan timeout)
    {
        DateTime deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (Store.OpenWatches == 0)
            {
                return true;
            }

            await Task.Delay(25).ConfigureAwait(false);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        stopping.Cancel();
        foreach (var cts in scenarios.Values)
        {
            cts.Cancel();
        }

        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        }

        await app.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    /// <summary>Waits until the server is stopped (Ctrl+C, SIGTERM); for the process form.</summary>
    public Task WaitForShutdownAsync() => Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.WaitForShutdownAsync(app);

    private async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string path = request.Path.Value ?? "/";
        Requests.Enqueue(new RecordedRequest(request.Method, path, request.QueryString.Value ?? string.Empty));
        if (Latency > TimeSpan.Zero)
        {
            await Task.Delay(Latency, context.RequestAborted).ConfigureAwait(false);
        }

        if (request.Headers.Authorization.ToString() != "Bearer " + Token)
        {
            await WriteJsonAsync(context, 401, KubeStatus.Unauthorized()).ConfigureAwait(false);
            return;
        }

        string[] parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        try
        {
            switch (parts)
            {
                case ["version"]:
                    await WriteJsonAsync(context, 200, new JsonObject { ["major"] = "1", ["minor"] = "31", ["gitVersion"] = "v1.31.0-fake", ["platform"] = "linux/amd64" }).ConfigureAwait(false);
                    return;
                case ["api"]:
                    await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = "APIVersions", ["versions"] = new JsonArray("v1"), ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = $"127.0.0.1:{Port}" }) }).ConfigureAwait(false);
                    return;
                case ["api", "v1"]:
                    await WriteJsonAsync(context, 200, ResourceList("v1", ("pods", "Pod", new[] { "create", "delete", "get", "list", "watch" }), ("pods/log", "Pod", new[] { "get" }), ("events", "Event", new[] { "get", "list", "watch" }))).ConfigureAwait(false);
                    return;
                case ["apis"]:
                    await WriteJsonAsync(context, 200, GroupList()).ConfigureAwait(false);
                    return;
                case ["apis", AmaltheaGroup, AmaltheaVersion] when AmaltheaInstalled:
                    await WriteJsonAsync(context, 200, ResourceList($"{AmaltheaGroup}/{AmaltheaVersion}", ("amaltheasessions", "AmaltheaSession", new[] { "create", "delete", "get", "list", "watch" }))).ConfigureAwait(false);
                    return;
                case ["api", "v1", "namespaces", var ns, "pods", var name, "log"] when request.Method == "GET":
                    if (Refused(context, "get", "pods/log", string.Empty, ns, out var refusal))
                    {
                        await WriteJsonAsync(context, 403, refusal!).ConfigureAwait(false);
                        return;
                    }

                    await LogAsync(context, ns, name).ConfigureAwait(false);
                    return;
                case ["api", "v1", "namespaces", var ns, "pods", var nameAndPort, "proxy", .. var proxied] when request.Method == "GET":
                    if (Refused(context, "get", "pods/proxy", string.Empty, ns, out var proxyRefusal))
                    {
                        await WriteJsonAsync(context, 403, proxyRefusal!).ConfigureAwait(false);
                        return;
                    }

                    await ProxyAsync(context, ns, nameAndPort, "/" + string.Join('/', proxied)).ConfigureAwait(false);
                    return;
                case ["api", "v1", "namespaces", var ns, var resource, .. var rest] when rest.Length <= 1 && resource is "pods" or "events":
                    await ResourceAsync(context, "v1", string.Empty, resource, ns, rest.Length == 1 ? rest[0] : null).ConfigureAwait(false);
                    return;
                case ["apis", AmaltheaGroup, AmaltheaVersion, "namespaces", var ns, "amaltheasessions", .. var rest] when rest.Length <= 1 && AmaltheaInstalled:
                    await ResourceAsync(context, $"{AmaltheaGroup}/{AmaltheaVersion}", AmaltheaGroup, "amaltheasessions", ns, rest.Length == 1 ? rest[0] : null).ConfigureAwait(false);
                    return;
                default:
                    await WriteJsonAsync(context, 404, KubeStatus.Failure(404, "NotFound", "the server could not find the requested resource")).ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || stopping.IsCancellationRequested)
        {
        }
    }

    private async Task ResourceAsync(HttpContext context, string apiVersion, string group, string resource, string ns, string? name)
    {
        HttpRequest request = context.Request;
        bool watch = request.Query["watch"] is var w && (w == "true" || w == "1");
        string verb = (request.Method, name, watch) switch
        {
            ("GET", null, true) => "watch",
            ("GET", null, false) => "list",
            ("GET", _, _) => "get",
            ("POST", null, _) => "create",
            ("DELETE", not null, _) => "delete",
            _ => string.Empty,
        };
        if (verb.Length == 0)
        {
            await WriteJsonAsync(context, 405, KubeStatus.Failure(405, "MethodNotAllowed", $"the server does not allow this method on the requested resource")).ConfigureAwait(false);
            return;
        }

        if (Refused(context, verb, resource, group, ns, out JsonObject? refusal))
        {
            await WriteJsonAsync(context, 403, refusal!).ConfigureAwait(false);
            return;
        }

        string kind = resource switch { "pods" => "Pod", "events" => "Event", _ => "AmaltheaSession" };
        switch (verb)
        {
            case "watch":
                await WatchAsync(context, resource, ns).ConfigureAwait(false);
                return;
            case "list":
                await ListAsync(context, apiVersion, kind, resource, ns).ConfigureAwait(false);
                return;
            case "get":
                JsonObject? found = Store.Get(resource, ns, name!);
                await WriteJsonAsync(context, found is null ? 404 : 200, found ?? KubeStatus.NotFound(resource, name!)).ConfigureAwait(false);
                return;
            case "create":
                await CreateAsync(context, resource, kind, ns).ConfigureAwait(false);
                return;
            case "delete":
                JsonObject? deleted = Store.Delete(resource, ns, name!);
                if (deleted is null)
                {
                    await WriteJsonAsync(context, 404, KubeStatus.NotFound(resource, name!)).ConfigureAwait(false);
                    return;
                }

                if (resource == "pods")
                {
                    deletedPods.Enqueue(name!);
                    if (scenarios.TryRemove((ns, name!), out var cts))
                    {
                        cts.Cancel();
                    }
                }

                await WriteJsonAsync(context, 200, deleted).ConfigureAwait(false);
                return;
        }
    }

    private async Task ListAsync(HttpContext context, string apiVersion, string kind, string resource, string ns)
    {
        IQueryCollection query = context.Request.Query;
        Func<JsonObject, bool> labels = Selectors.Labels(query["labelSelector"]);
        Func<JsonObject, bool> fields = Selectors.Fields(query["fieldSelector"]);
        int limit = int.TryParse(query["limit"], out int l) && l > 0 ? l : int.MaxValue;
        string? after = null;
        string continueToken = query["continue"].ToString();
        if (continueToken.Length > 0)
        {
            if (Interlocked.Decrement(ref expireContinueTokens) >= 0)
            {
                await WriteJsonAsync(context, 410, KubeStatus.Expired("The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter.")).ConfigureAwait(false);
                return;
            }

            Interlocked.Exchange(ref expireContinueTokens, 0);
            after = DecodeContinue(continueToken);
            if (after is null)
            {
                await WriteJsonAsync(context, 400, KubeStatus.Failure(400, "BadRequest", "continue key is not valid")).ConfigureAwait(false);
                return;
            }
        }

        var (page, version, remaining) = Store.Page(resource, ns, o => labels(o) && fields(o), after, limit);
        var metadata = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) };
        if (remaining > 0)
        {
            metadata["continue"] = EncodeContinue(version, ObjectStore.Name(page[^1]));
            metadata["remainingItemCount"] = remaining;
        }

        var array = new JsonArray();
        foreach (JsonObject item in page)
        {
            array.Add(item);
        }

        await WriteJsonAsync(context, 200, new JsonObject { ["kind"] = kind + "List", ["apiVersion"] = apiVersion, ["metadata"] = metadata, ["items"] = array }).ConfigureAwait(false);
    }

    private async Task WatchAsync(HttpContext context, string resource, string ns)
    {
        IQueryCollection query = context.Request.Query;
        Func<JsonObject, bool> labels = Selectors.Labels(query["labelSelector"]);
        Func<JsonObject, bool> fields = Selectors.Fields(query["fieldSelector"]);
        long? from = long.TryParse(query["resourceVersion"], out long rv) ? rv : null;
        int seconds = int.TryParse(query["timeoutSeconds"], out int t) && t > 0 ? Math.Min(t, 600) : 300;
        using var end = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping.Token);
        end.CancelAfter(TimeSpan.FromSeconds(seconds));

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var reader = Store.Watch(resource, ns, o => labels(o) && fields(o), from, end.Token);
        if (reader is null)
        {
            // The version was compacted away: the API server says so inside the stream.
            string line = new JsonObject { ["type"] = "ERROR", ["object"] = KubeStatus.Expired($"too old resource version: {from} ({Store.OldestWatchableVersion})") }.ToJsonString();
            await context.Response.WriteAsync(line + "\n", CancellationToken.None).ConfigureAwait(false);
            return;
        }

        await context.Response.Body.FlushAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            await foreach (string line in reader.ReadAllAsync(end.Token).ConfigureAwait(false))
            {
                await context.Response.WriteAsync(line + "\n", end.Token).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(end.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // Timeout, client gone or server stopping: the stream simply ends.
        }
    }

    private async Task CreateAsync(HttpContext context, string resource, string kind, string ns)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException ex)
        {
            await WriteJsonAsync(context, 400, KubeStatus.Failure(400, "BadRequest", "the body of the request was in an unknown format: " + ex.Message)).ConfigureAwait(false);
            return;
        }

        if (body is null)
        {
            await WriteJsonAsync(context, 400, KubeStatus.Failure(400, "BadRequest", "the body of the request was empty")).ConfigureAwait(false);
            return;
        }

        var metadata = body["metadata"] as JsonObject;
        string name = metadata?["name"]?.GetValue<string>() ?? string.Empty;
        if (name.Length == 0 && metadata?["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            name = prefix + Guid.NewGuid().ToString("N")[..5];
            metadata["name"] = name;
        }

        if (name.Length == 0)
        {
            await WriteJsonAsync(context, 422, KubeStatus.Invalid(kind, name, new[] { ("metadata.name", "Required value: name or generateName is required") })).ConfigureAwait(false);
            return;
        }

        if (metadata!["namespace"]?.GetValue<string>() is { } bodyNs && bodyNs != ns)
        {
            await WriteJsonAsync(context, 400, KubeStatus.Failure(400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request")).ConfigureAwait(false);
            return;
        }

        if (resource == "pods")
        {
            var problems = new List<(string Field, string Message)>();
            if (body["spec"]?["containers"] is not JsonArray { Count: > 0 })
            {
                problems.Add(("spec.containers", "Required value"));
            }
            else if (PodSpecContract.Applies(body))
            {
                problems.AddRange(PodSpecContract.Check(body));
            }

            if (problems.Count > 0)
            {
                foreach (var (field, message) in problems)
                {
                    violations.Enqueue($"{name}: {field}: {message}");
                }

                await WriteJsonAsync(context, 422, KubeStatus.Invalid(kind, name, problems)).ConfigureAwait(false);
                return;
            }

            createdPods.Enqueue((JsonObject)body.DeepClone());
            body["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
        }

        if (!Store.TryAdd(resource, ns, body, out JsonObject stored))
        {
            await WriteJsonAsync(context, 409, KubeStatus.AlreadyExists(resource, name)).ConfigureAwait(false);
            return;
        }

        CancellationTokenSource? play = null;
        PodScenario? playing = resource != "pods" ? null
            : body["spec"]?["restartPolicy"]?.GetValue<string>() == "Never" ? JobScenario
            : Scenario;
        if (playing is not null)
        {
            play = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
            scenarios[(ns, name)] = play;
        }

        await WriteJsonAsync(context, 201, stored).ConfigureAwait(false);

        // Played here, after the answer: steps without a delay are applied at once (before this
        // request's handler returns), so a test that wants a pod's whole story by its deadline
        // does not race the server's scheduling; steps with a delay go on in the background.
        if (playing is not null)
        {
            _ = PlayAsync(ns, name, playing, play!.Token);
        }
    }

    private async Task PlayAsync(string ns, string name, PodScenario scenario, CancellationToken cancellationToken)
    {
        try
        {
            foreach (PodStep step in scenario.Steps)
            {
                await Task.Delay(step.Delay, cancellationToken).ConfigureAwait(false);
                if (!EditPod(ns, name, step.Apply))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Record(string ns, string pod, PodEditor editor)
    {
        PodLogs podLogs = logs.GetOrAdd((ns, pod), _ => new PodLogs());
        lock (podLogs)
        {
            podLogs.Current.AddRange(editor.LogLines);
            if (editor.LogLines.Count > 0 || editor.Restarted)
            {
                podLogs.Started = true;
            }

            if (editor.Restarted)
            {
                podLogs.Previous = podLogs.Current;
                podLogs.Current = new List<string>();
            }
        }

        foreach (var (type, reason, message) in editor.Events)
        {
            AddEvent(ns, pod, type, reason, message);
        }
    }

    private void AddEvent(string ns, string pod, string type, string reason, string message)
    {
        string now = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var (existing, _) = Store.List("events", ns, e => e["involvedObject"]?["name"]?.GetValue<string>() == pod && e["reason"]?.GetValue<string>() == reason && e["message"]?.GetValue<string>() == message);
        if (existing.Count > 0)
        {
            Store.Update("events", ns, ObjectStore.Name(existing[0]), e =>
            {
                e["count"] = (e["count"]?.GetValue<int>() ?? 1) + 1;
                e["lastTimestamp"] = now;
            });
            return;
        }

        int n = Interlocked.Increment(ref eventCounter);
        Store.TryAdd("events", ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = $"{pod}.{n:x8}", ["namespace"] = ns },
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["namespace"] = ns, ["name"] = pod, ["apiVersion"] = "v1" },
            ["type"] = type,
            ["reason"] = reason,
            ["message"] = message,
            ["count"] = 1,
            ["firstTimestamp"] = now,
            ["lastTimestamp"] = now,
            ["source"] = new JsonObject { ["component"] = "kubelet" },
        }, out _);
    }

    private async Task LogAsync(HttpContext context, string ns, string name)
    {
        IQueryCollection query = context.Request.Query;
        JsonObject? pod = Store.Get("pods", ns, name);
        if (pod is null)
        {
            await WriteJsonAsync(context, 404, KubeStatus.NotFound("pods", name)).ConfigureAwait(false);
            return;
        }

        string container = query["container"].ToString() is { Length: > 0 } c ? c : pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? string.Empty;
        bool previous = query["previous"] == "true";
        PodLogs podLogs = logs.GetOrAdd((ns, name), _ => new PodLogs());
        List<string> lines;
        lock (podLogs)
        {
            if (previous && podLogs.Previous is null)
            {
                lines = null!;
            }
            else if (!previous && !podLogs.Started)
            {
                lines = null!;
            }
            else
            {
                lines = (previous ? podLogs.Previous! : podLogs.Current).ToList();
            }
        }

        if (lines is null)
        {
            string message = previous
                ? $"previous terminated container \"{container}\" in pod \"{name}\" not found"
                : $"container \"{container}\" in pod \"{name}\" is waiting to start: ContainerCreating";
            await WriteJsonAsync(context, 400, KubeStatus.Failure(400, "BadRequest", message)).ConfigureAwait(false);
            return;
        }

        if (int.TryParse(query["tailLines"], out int tail) && tail >= 0)
        {
            lines = lines.Skip(Math.Max(0, lines.Count - tail)).ToList();
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        await context.Response.WriteAsync(string.Concat(lines.Select(l => l + "\n"))).ConfigureAwait(false);
    }

    private async Task ProxyAsync(HttpContext context, string ns, string nameAndPort, string path)
    {
        string name = nameAndPort.Split(':')[0];
        JsonObject? pod = Store.Get("pods", ns, name);
        if (pod is null)
        {
            await WriteJsonAsync(context, 404, KubeStatus.NotFound("pods", name)).ConfigureAwait(false);
            return;
        }

        bool ready = pod["status"]?["conditions"] is JsonArray conditions && conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "Ready" && c["status"]?.GetValue<string>() == "True");
        if (!ready)
        {
            await WriteJsonAsync(context, 503, KubeStatus.Failure(503, "ServiceUnavailable", $"error trying to reach service: dial tcp 10.42.0.7:{nameAndPort.Split(':').ElementAtOrDefault(1)}: connect: connection refused")).ConfigureAwait(false);
            return;
        }

        int status = ProxyAnswer(Uri.UnescapeDataString(path));
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/html";
        await context.Response.WriteAsync(status < 400 ? "<html>session</html>" : "<html>not found</html>").ConfigureAwait(false);
    }

    private bool Refused(HttpContext context, string verb, string resource, string group, string ns, out JsonObject? status)
    {
        status = forbidden.ContainsKey((verb, resource)) || forbidden.ContainsKey(("*", resource)) || forbidden.ContainsKey((verb, "*")) || forbidden.ContainsKey(("*", "*"))
            ? KubeStatus.Forbidden(verb, resource, group, ns)
            : null;
        return status is not null;
    }

    private JsonObject GroupList()
    {
        var groups = new JsonArray();
        if (AmaltheaInstalled)
        {
            var version = new JsonObject { ["groupVersion"] = $"{AmaltheaGroup}/{AmaltheaVersion}", ["version"] = AmaltheaVersion };
            groups.Add(new JsonObject { ["name"] = AmaltheaGroup, ["versions"] = new JsonArray(version), ["preferredVersion"] = version.DeepClone() });
        }

        return new JsonObject { ["kind"] = "APIGroupList", ["apiVersion"] = "v1", ["groups"] = groups };
    }

    private static JsonObject ResourceList(string groupVersion, params (string Name, string Kind, string[] Verbs)[] resources)
    {
        var list = new JsonArray();
        foreach (var (name, kind, verbs) in resources)
        {
            var verbArray = new JsonArray();
            foreach (string verb in verbs)
            {
                verbArray.Add(verb);
            }

            list.Add(new JsonObject { ["name"] = name, ["singularName"] = string.Empty, ["namespaced"] = true, ["kind"] = kind, ["verbs"] = verbArray });
        }

        return new JsonObject { ["kind"] = "APIResourceList", ["apiVersion"] = "v1", ["groupVersion"] = groupVersion, ["resources"] = list };
    }

    private static string EncodeContinue(long version, string lastName) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { v = "meta.k8s.io/v1", rv = version, start = lastName })));

    private static string? DecodeContinue(string token)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            return doc.RootElement.GetProperty("start").GetString();
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString()).ConfigureAwait(false);
    }

    private sealed class PodLogs
    {
        public List<string> Current { get; set; } = new();

        public List<string>? Previous { get; set; }

        public bool Started { get; set; }
    }
}

/// <summary>One request the server answered (no headers: tokens are never kept).</summary>
public sealed record RecordedRequest(string Method, string Path, string Query);
