using System.Globalization;
using System.Text.Json.Nodes;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// An AmaltheaSession as Renku creates it (amalthea.dev/v1alpha1, fields as in the CRD) and,
/// unless hibernated, its pod &lt;name&gt;-0 with the amalthea-session container.
/// </summary>
public sealed class FakeSession
{
    public required string Name { get; init; }

    public string Image { get; init; } = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3";

    /// <summary>Running, Failed, Hibernated, NotReady, RunningDegraded or Succeeded.</summary>
    public string State { get; init; } = "Running";

    public string? LauncherId { get; init; }

    public string? ProjectId { get; init; }

    public string? User { get; init; } = "alice";

    public int Port { get; init; } = 8888;

    public int Ready { get; init; } = 2;

    public int Total { get; init; } = 2;

    public int RestartCount { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset? FailingSince { get; init; }

    public bool Hibernated { get; init; }

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow.AddHours(-2);

    /// <summary>Whether the session's pod exists (hibernated sessions have none).</summary>
    public bool HasPod { get; init; } = true;

    public JsonObject ToResource(string ns)
    {
        var labels = new JsonObject
        {
            ["app.kubernetes.io/name"] = "amalthea",
            ["app.kubernetes.io/managed-by"] = "renku",
        };
        if (User is not null)
        {
            labels["renku.io/safe-username"] = User;
        }

        var annotations = new JsonObject();
        if (LauncherId is not null)
        {
            annotations["renku.io/launcher_id"] = LauncherId;
        }

        if (ProjectId is not null)
        {
            annotations["renku.io/project_id"] = ProjectId;
        }

        var status = new JsonObject
        {
            ["state"] = State,
            ["url"] = $"https://renku.example.org/sessions/{Name}",
            ["containerCounts"] = new JsonObject { ["ready"] = Ready, ["total"] = Total },
            ["initContainerCounts"] = new JsonObject { ["ready"] = 2, ["total"] = 2 },
            ["idle"] = false,
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Running",
                ["status"] = State == "Running" ? "True" : "False",
                ["lastTransitionTime"] = Time(Created.AddMinutes(1)),
            }),
        };
        if (Error is not null)
        {
            status["error"] = Error;
        }

        if (FailingSince is { } failing)
        {
            status["failingSince"] = Time(failing);
        }

        if (Hibernated)
        {
            status["hibernatedSince"] = Time(Created.AddHours(1));
        }

        return new JsonObject
        {
            ["apiVersion"] = "amalthea.dev/v1alpha1",
            ["kind"] = "AmaltheaSession",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name,
                ["namespace"] = ns,
                ["creationTimestamp"] = Time(Created),
                ["labels"] = labels,
                ["annotations"] = annotations,
            },
            ["spec"] = new JsonObject
            {
                ["hibernated"] = Hibernated,
                ["session"] = new JsonObject
                {
                    ["image"] = Image,
                    ["port"] = Port,
                    ["urlPath"] = $"/sessions/{Name}",
                    ["workingDir"] = "/home/renku/work",
                    ["runAsUser"] = 1000,
                    ["runAsGroup"] = 1000,
                    ["storage"] = new JsonObject { ["mountPath"] = "/home/renku/work", ["size"] = "1Gi" },
                    ["readinessProbe"] = new JsonObject { ["type"] = "tcp" },
                    ["env"] = new JsonArray(new JsonObject { ["name"] = "RENKU_SESSION", ["value"] = "1" }),
                },
            },
            ["status"] = status,
        };
    }

    public JsonObject ToPod(string ns)
    {
        bool running = State is "Running" or "RunningDegraded";
        JsonObject state = running
            ? new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(Created.AddMinutes(1)) } }
            : new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "CrashLoopBackOff", ["message"] = "back-off 5m0s restarting failed container" } };
        JsonObject Container(string name, string image, bool ready, int restarts) => new()
        {
            ["name"] = name,
            ["image"] = image,
            ["ready"] = ready,
            ["restartCount"] = restarts,
            ["started"] = ready,
            ["state"] = name == "amalthea-session" ? state.DeepClone() : new JsonObject { ["running"] = new JsonObject { ["startedAt"] = Time(Created) } },
            ["lastState"] = new JsonObject(),
        };
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = Name + "-0",
                ["namespace"] = ns,
                ["creationTimestamp"] = Time(Created),
                ["labels"] = new JsonObject { ["app.kubernetes.io/name"] = Name, ["statefulset.kubernetes.io/pod-name"] = Name + "-0" },
            },
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray(
                    new JsonObject { ["name"] = "amalthea-session", ["image"] = Image },
                    new JsonObject { ["name"] = "oauth2-proxy", ["image"] = "quay.io/oauth2-proxy/oauth2-proxy:v7.6.0" }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = running ? "Running" : "Running",
                ["containerStatuses"] = new JsonArray(
                    Container("amalthea-session", Image, running && Ready == Total, RestartCount),
                    Container("oauth2-proxy", "quay.io/oauth2-proxy/oauth2-proxy:v7.6.0", true, 0)),
            },
        };
    }

    private static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
