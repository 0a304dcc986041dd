using System.Text.Json.Nodes;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>The metav1.Status objects a Kubernetes API server answers failures with.</summary>
public static class KubeStatus
{
    public static JsonObject Failure(int code, string reason, string message, string? kind = null, string? name = null, JsonArray? causes = null)
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = message,
            ["reason"] = reason,
            ["code"] = code,
        };
        if (kind is not null || name is not null || causes is not null)
        {
            var details = new JsonObject();
            if (name is not null)
            {
                details["name"] = name;
            }

            if (kind is not null)
            {
                details["kind"] = kind;
            }

            if (causes is not null)
            {
                details["causes"] = causes;
            }

            status["details"] = details;
        }

        return status;
    }

    public static JsonObject Success(string kind, string name) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["metadata"] = new JsonObject(),
        ["status"] = "Success",
        ["details"] = new JsonObject { ["name"] = name, ["kind"] = kind },
    };

    public static JsonObject NotFound(string resource, string name) =>
        Failure(404, "NotFound", $"{resource} \"{name}\" not found", resource, name);

    public static JsonObject AlreadyExists(string resource, string name) =>
        Failure(409, "AlreadyExists", $"{resource} \"{name}\" already exists", resource, name);

    public static JsonObject Expired(string message) => Failure(410, "Expired", message);

    public static JsonObject Unauthorized() => Failure(401, "Unauthorized", "Unauthorized");

    public static JsonObject Forbidden(string verb, string resource, string group, string ns) =>
        Failure(403, "Forbidden", $"{resource} is forbidden: User \"system:serviceaccount:renku:reader\" cannot {verb} resource \"{resource}\" in API group \"{group}\" in the namespace \"{ns}\"", resource);

    public static JsonObject Invalid(string kind, string name, IEnumerable<(string Field, string Message)> problems)
    {
        var causes = new JsonArray();
        foreach (var (field, message) in problems)
        {
            causes.Add(new JsonObject { ["reason"] = "FieldValueInvalid", ["message"] = message, ["field"] = field });
        }

        string summary = string.Join(", ", problems.Select(p => p.Field + ": " + p.Message));
        return Failure(422, "Invalid", $"{kind} \"{name}\" is invalid: {summary}", kind, name, causes);
    }
}
