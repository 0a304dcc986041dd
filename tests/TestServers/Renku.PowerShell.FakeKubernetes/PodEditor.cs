using System.Globalization;
using System.Text.Json.Nodes;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// Changes a pod's status the way the kubelet would, and notes the events and log lines that go
/// with each change. Used by scenarios and by tests that move pods by hand.
/// </summary>
public sealed class PodEditor
{
    private readonly JsonObject pod;

    internal PodEditor(JsonObject pod)
    {
        this.pod = pod;
    }

    internal List<(string Type, string Reason, string Message)> Events { get; } = new();

    internal List<string> LogLines { get; } = new();

    internal bool Restarted { get; private set; }

    public string Name => ObjectStore.Name(pod);

    public string Image => pod["spec"]?["containers"]?[0]?["image"]?.GetValue<string>() ?? string.Empty;

    public string ContainerName => pod["spec"]?["containers"]?[0]?["name"]?.GetValue<string>() ?? "amalthea-session";

    public int Port => pod["spec"]?["containers"]?[0]?["readinessProbe"]?["tcpSocket"]?["port"]?.GetValue<int>() ?? 8080;

    /// <summary>True for a pod that runs its command once (restartPolicy Never), as a job check's does.</summary>
    public bool RunsOnce => pod["spec"]?["restartPolicy"]?.GetValue<string>() == "Never";

    public PodEditor Schedule(string node = "node-1")
    {
        pod["spec"]!["nodeName"] = node;
        Status()["phase"] = "Pending";
        SetCondition("PodScheduled", "True");
        SetContainer(Waiting("ContainerCreating", null), ready: false, restarts: Restarts());
        return Event("Normal", "Scheduled", $"Successfully assigned {Namespace}/{Name} to {node}");
    }

    public PodEditor Unschedulable(string message = "0/3 nodes are available: 3 Insufficient memory.")
    {
        Status()["phase"] = "Pending";
        SetCondition("PodScheduled", "False", "Unschedulable", message);
        return Event("Warning", "FailedScheduling", message);
    }

    public PodEditor Pulling() => Event("Normal", "Pulling", $"Pulling image \"{Image}\"");

    public PodEditor PullFailed(string message = "rpc error: code = NotFound desc = failed to pull and unpack image: not found")
    {
        SetContainer(Waiting("ErrImagePull", message), ready: false, restarts: Restarts());
        Event("Warning", "Failed", $"Failed to pull image \"{Image}\": {message}");
        return Event("Warning", "Failed", "Error: ErrImagePull");
    }

    public PodEditor PullBackOff()
    {
        SetContainer(Waiting("ImagePullBackOff", $"Back-off pulling image \"{Image}\""), ready: false, restarts: Restarts());
        Event("Normal", "BackOff", $"Back-off pulling image \"{Image}\"");
        return Event("Warning", "Failed", "Error: ImagePullBackOff");
    }

    public PodEditor Started(params string[] logLines)
    {
        Status()["phase"] = "Running";
        SetCondition("Initialized", "True");
        SetContainer(new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Now() } }, ready: false, restarts: Restarts());
        Event("Normal", "Pulled", $"Successfully pulled image \"{Image}\"");
        Event("Normal", "Created", $"Created container {ContainerName}");
        Event("Normal", "Started", $"Started container {ContainerName}");
        LogLines.AddRange(logLines);
        return this;
    }

    public PodEditor BecomeReady()
    {
        SetContainer(new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Now() } }, ready: true, restarts: Restarts());
        SetCondition("ContainersReady", "True");
        return SetCondition("Ready", "True");
    }

    public PodEditor ProbeFailed(string? message = null) =>
        Event("Warning", "Unhealthy", message ?? $"Readiness probe failed: dial tcp 10.42.0.7:{Port}: connect: connection refused");

    /// <summary>The process exits; the kubelet backs off before the next start.</summary>
    public PodEditor Crash(int exitCode, params string[] logLines)
    {
        LogLines.AddRange(logLines);
        var terminated = new JsonObject { ["exitCode"] = exitCode, ["reason"] = "Error", ["startedAt"] = Now(), ["finishedAt"] = Now() };
        SetContainer(Waiting("CrashLoopBackOff", $"back-off 10s restarting failed container={ContainerName} pod={Name}"), ready: false, restarts: Restarts() + 1, lastTerminated: terminated);
        Restarted = true;
        return Event("Warning", "BackOff", "Back-off restarting failed container " + ContainerName);
    }

    /// <summary>
    /// The process of a pod that runs once (restartPolicy Never) ends with <paramref name="exitCode"/>:
    /// the container is terminated and the pod Succeeded (exit 0) or Failed, as the kubelet leaves a job's pod.
    /// </summary>
    public PodEditor Complete(int exitCode, string? reason = null, params string[] logLines)
    {
        LogLines.AddRange(logLines);
        string why = reason ?? (exitCode == 0 ? "Completed" : "Error");
        var terminated = new JsonObject { ["exitCode"] = exitCode, ["reason"] = why, ["startedAt"] = Now(), ["finishedAt"] = Now() };
        SetContainer(new JsonObject { ["terminated"] = terminated }, ready: false, restarts: Restarts());
        Status()["phase"] = exitCode == 0 ? "Succeeded" : "Failed";
        SetCondition("Initialized", "True");
        return exitCode == 0 ? this : Event("Warning", "BackOff", $"Container {ContainerName} terminated: {why} (exit code {exitCode})");
    }

    public PodEditor Event(string type, string reason, string message)
    {
        Events.Add((type, reason, message));
        return this;
    }

    private string Namespace => pod["metadata"]?["namespace"]?.GetValue<string>() ?? "default";

    private JsonObject Status()
    {
        if (pod["status"] is not JsonObject status)
        {
            status = new JsonObject();
            pod["status"] = status;
        }

        return status;
    }

    private int Restarts() =>
        Status()["containerStatuses"]?[0]?["restartCount"]?.GetValue<int>() ?? 0;

    private PodEditor SetCondition(string type, string value, string? reason = null, string? message = null)
    {
        if (Status()["conditions"] is not JsonArray conditions)
        {
            conditions = new JsonArray();
            Status()["conditions"] = conditions;
        }

        var existing = conditions.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var condition = new JsonObject { ["type"] = type, ["status"] = value, ["lastTransitionTime"] = Now() };
        if (reason is not null)
        {
            condition["reason"] = reason;
        }

        if (message is not null)
        {
            condition["message"] = message;
        }

        if (existing is not null)
        {
            conditions.Remove(existing);
        }

        conditions.Add(condition);
        return this;
    }

    private void SetContainer(JsonObject state, bool ready, int restarts, JsonObject? lastTerminated = null)
    {
        var previous = Status()["containerStatuses"]?[0]?["lastState"]?.DeepClone();
        var status = new JsonObject
        {
            ["name"] = ContainerName,
            ["image"] = Image,
            ["imageID"] = string.Empty,
            ["ready"] = ready,
            ["started"] = state["running"] is not null,
            ["restartCount"] = restarts,
            ["state"] = state,
            ["lastState"] = lastTerminated is null ? previous ?? new JsonObject() : new JsonObject { ["terminated"] = lastTerminated },
        };
        Status()["containerStatuses"] = new JsonArray(status);
        if (!ready)
        {
            SetCondition("ContainersReady", "False");
            SetCondition("Ready", "False");
        }
    }

    private static JsonObject Waiting(string reason, string? message)
    {
        var waiting = new JsonObject { ["reason"] = reason };
        if (message is not null)
        {
            waiting["message"] = message;
        }

        return new JsonObject { ["waiting"] = waiting };
    }

    private static string Now() => DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
