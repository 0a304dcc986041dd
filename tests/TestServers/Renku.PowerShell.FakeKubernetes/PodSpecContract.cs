using System.Text.Json.Nodes;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// What a session-check pod (labelled app.kubernetes.io/managed-by=Renku.PowerShell) must carry to
/// mirror Renku's session container: the TCP readiness probe with Renku's timings, the user and
/// group (and the group as fsGroup), the RENKU_* environment, an emptyDir at the mount directory.
/// The server refuses a pod that breaks it with 422 and records why.
/// </summary>
public static class PodSpecContract
{
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";
    public const string ManagedByValue = "Renku.PowerShell";

    public static readonly string[] RequiredEnvironment =
    {
        "RENKU_SESSION", "RENKU_SESSION_IP", "RENKU_SESSION_PORT", "RENKU_BASE_URL_PATH", "RENKU_BASE_URL",
        "RENKU_MOUNT_DIR", "RENKU_WORKING_DIR", "RENKU_SECRETS_PATH", "RENKU_PROJECT_ID", "RENKU_PROJECT_PATH", "RENKU_LAUNCHER_ID", "CNB_APP_DIR",
    };

    /// <summary>What a job's container (a non-interactive launcher's session) carries instead.</summary>
    public static readonly string[] RequiredJobEnvironment =
    {
        "RENKU_JOB", "RENKU_SUBMISSION_ID",
        "RENKU_MOUNT_DIR", "RENKU_WORKING_DIR", "RENKU_SECRETS_PATH", "RENKU_PROJECT_ID", "RENKU_PROJECT_PATH", "RENKU_LAUNCHER_ID", "CNB_APP_DIR",
    };

    /// <summary>What a job never gets: it has no port and no ingress.</summary>
    public static readonly string[] ForbiddenJobEnvironment =
    {
        "RENKU_SESSION", "RENKU_SESSION_IP", "RENKU_SESSION_PORT", "RENKU_BASE_URL_PATH", "RENKU_BASE_URL",
    };

    public static bool Applies(JsonObject pod) =>
        pod["metadata"]?["labels"]?[ManagedByLabel]?.GetValue<string>() == ManagedByValue;

    public static List<(string Field, string Message)> Check(JsonObject pod)
    {
        var problems = new List<(string, string)>();
        JsonNode? spec = pod["spec"];
        if (spec?["containers"] is not JsonArray { Count: 1 } containers || containers[0] is not JsonObject container)
        {
            problems.Add(("spec.containers", "exactly one (the session) container expected"));
            return problems;
        }

        string c = "spec.containers[0]";
        if (string.IsNullOrEmpty(container["image"]?.GetValue<string>()))
        {
            problems.Add((c + ".image", "required"));
        }

        if (container["imagePullPolicy"]?.GetValue<string>() != "Always")
        {
            problems.Add((c + ".imagePullPolicy", "Renku pulls session images Always"));
        }

        var env = (container["env"] as JsonArray ?? new JsonArray())
            .OfType<JsonObject>()
            .ToDictionary(e => e["name"]?.GetValue<string>() ?? string.Empty, e => e["value"]?.GetValue<string>());
        if (env.ContainsKey("RENKU_JOB"))
        {
            CheckJob(problems, spec, container, env);
            CheckUserAndMount(problems, spec, container, env);
            return problems;
        }

        foreach (string name in RequiredEnvironment.Where(n => !env.ContainsKey(n)))
        {
            problems.Add((c + ".env", name + " missing"));
        }

        int? port = null;
        if (env.TryGetValue("RENKU_SESSION_PORT", out string? portText) && int.TryParse(portText, out int p))
        {
            port = p;
        }

        if (env.TryGetValue("RENKU_SESSION", out string? session) && session != "1")
        {
            problems.Add((c + ".env", "RENKU_SESSION must be 1"));
        }

        if (env.TryGetValue("RENKU_SESSION_IP", out string? ip) && ip != "0.0.0.0")
        {
            problems.Add((c + ".env", "RENKU_SESSION_IP must be 0.0.0.0"));
        }

        JsonNode? probe = container["readinessProbe"];
        if (probe is null)
        {
            problems.Add((c + ".readinessProbe", "required"));
        }
        else
        {
            int? probePort = probe["tcpSocket"]?["port"] is JsonValue v && v.TryGetValue(out int n) ? n : null;
            if (probePort is null || probePort != port)
            {
                problems.Add((c + ".readinessProbe.tcpSocket.port", $"must be the session port {port}"));
            }

            Expect(problems, probe, c + ".readinessProbe", "initialDelaySeconds", 10);
            Expect(problems, probe, c + ".readinessProbe", "periodSeconds", 5);
            Expect(problems, probe, c + ".readinessProbe", "successThreshold", 5);
            Expect(problems, probe, c + ".readinessProbe", "failureThreshold", 3);
            Expect(problems, probe, c + ".readinessProbe", "timeoutSeconds", 1);
        }

        if (container["livenessProbe"] is not null)
        {
            problems.Add((c + ".livenessProbe", "Renku sets no liveness probe on the session"));
        }

        CheckUserAndMount(problems, spec, container, env);
        if (container["ports"] is JsonArray ports && !ports.OfType<JsonObject>().Any(x => Number(x["containerPort"]) == port))
        {
            problems.Add((c + ".ports", "must include the session port"));
        }

        return problems;
    }

    /// <summary>A job: Renku's job variables and none of a session's, no probe, no port, run once.</summary>
    private static void CheckJob(List<(string, string)> problems, JsonNode spec, JsonObject container, Dictionary<string, string?> env)
    {
        string c = "spec.containers[0]";
        foreach (string name in RequiredJobEnvironment.Where(n => !env.ContainsKey(n)))
        {
            problems.Add((c + ".env", name + " missing"));
        }

        foreach (string name in ForbiddenJobEnvironment.Where(env.ContainsKey))
        {
            problems.Add((c + ".env", name + " is not set in a job (no port, no ingress)"));
        }

        if (env.GetValueOrDefault("RENKU_JOB") != "1")
        {
            problems.Add((c + ".env", "RENKU_JOB must be 1"));
        }

        if (string.IsNullOrEmpty(env.GetValueOrDefault("RENKU_SUBMISSION_ID")))
        {
            problems.Add((c + ".env", "RENKU_SUBMISSION_ID must not be empty"));
        }

        foreach (string probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" }.Where(p => container[p] is not null))
        {
            problems.Add((c + "." + probe, "a job is not probed"));
        }

        if (container["ports"] is JsonArray { Count: > 0 })
        {
            problems.Add((c + ".ports", "a job has no port"));
        }

        if (spec["restartPolicy"]?.GetValue<string>() != "Never")
        {
            problems.Add(("spec.restartPolicy", "a job runs once: Never"));
        }
    }

    /// <summary>uid/gid with the group as fsGroup, an emptyDir at the mount directory, the working directory: every check pod.</summary>
    private static void CheckUserAndMount(List<(string, string)> problems, JsonNode spec, JsonObject container, Dictionary<string, string?> env)
    {
        string c = "spec.containers[0]";
        long? uid = Number(container["securityContext"]?["runAsUser"]);
        long? gid = Number(container["securityContext"]?["runAsGroup"]);
        long? fsGroup = Number(spec["securityContext"]?["fsGroup"]);
        if (uid is null)
        {
            problems.Add((c + ".securityContext.runAsUser", "required"));
        }

        if (gid is null)
        {
            problems.Add((c + ".securityContext.runAsGroup", "required"));
        }

        if (fsGroup is null || fsGroup != gid)
        {
            problems.Add(("spec.securityContext.fsGroup", "must equal runAsGroup"));
        }

        string? mountDir = env.GetValueOrDefault("RENKU_MOUNT_DIR");
        string? workingDir = env.GetValueOrDefault("RENKU_WORKING_DIR");
        var mount = (container["volumeMounts"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .FirstOrDefault(m => m["mountPath"]?.GetValue<string>() == mountDir);
        string? volumeName = mount?["name"]?.GetValue<string>();
        bool emptyDir = (spec["volumes"] as JsonArray ?? new JsonArray()).OfType<JsonObject>()
            .Any(v => v["name"]?.GetValue<string>() == volumeName && v["emptyDir"] is JsonObject);
        if (mountDir is null || mount is null || !emptyDir)
        {
            problems.Add((c + ".volumeMounts", $"an emptyDir volume must be mounted at RENKU_MOUNT_DIR ({mountDir})"));
        }

        if (container["workingDir"]?.GetValue<string>() != workingDir)
        {
            problems.Add((c + ".workingDir", "must equal RENKU_WORKING_DIR"));
        }
    }

    private static void Expect(List<(string, string)> problems, JsonNode probe, string path, string field, int expected)
    {
        if (Number(probe[field]) != expected)
        {
            problems.Add(($"{path}.{field}", $"Renku uses {expected}"));
        }
    }

    private static long? Number(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue(out long n) ? n : null;
}
