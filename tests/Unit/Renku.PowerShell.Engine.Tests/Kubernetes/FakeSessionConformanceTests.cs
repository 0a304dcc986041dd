using NJsonSchema;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport;

using Xunit;

using YamlDotNet.Serialization;


namespace Renku.PowerShell.Engine.Tests.Kubernetes;

/// <summary>The fake server's AmaltheaSession objects follow the CRD's published schema.</summary>
public class FakeSessionConformanceTests
{
    private static readonly Lazy<JsonSchema> Schema = new(LoadSchema);

    public static IEnumerable<object[]> Sessions()
    {
        yield return new object[] { new FakeSession { Name = "running", LauncherId = "L", ProjectId = "P" } };
        yield return new object[] { new FakeSession { Name = "failed", State = "Failed", Error = "crashed", FailingSince = DateTimeOffset.UtcNow, RestartCount = 3 } };
        yield return new object[] { new FakeSession { Name = "hibernated", State = "Hibernated", Hibernated = true, User = null } };
    }

    [Theory]
    [MemberData(nameof(Sessions))]
    public void FakeSessionsValidateAgainstTheCrd(FakeSession session)
    {
        var errors = Schema.Value.Validate(session.ToResource("renku").ToJsonString());
        Assert.True(errors.Count == 0, string.Join("; ", errors.Select(e => e.Path + ": " + e.Kind)));
    }

    [Fact]
    public void TheSchemaCatchesABadState()
    {
        var resource = new FakeSession { Name = "x" }.ToResource("renku");
        resource["status"]!["state"] = "Exploded";
        Assert.NotEmpty(Schema.Value.Validate(resource.ToJsonString()));
    }

    private static JsonSchema LoadSchema()
    {
        string path = Path.Combine(RepoPaths.Shared, "renku", "amalthea", "amalthea.dev_amaltheasessions.yaml");
        Requires.Part(File.Exists(path), "the AmaltheaSession CRD", $"expected at {path}");
        object? crd = new DeserializerBuilder().Build().Deserialize<object>(File.ReadAllText(path));
        object? schema = Walk(crd, "spec", "versions", 0, "schema", "openAPIV3Schema");
        return JsonSchema.FromJsonAsync(ToJson(schema, key: null)!.ToJsonString()).GetAwaiter().GetResult();
    }

    /// <summary>YAML scalars come back as strings; give numbers and booleans their JSON types.</summary>
    private static System.Text.Json.Nodes.JsonNode? ToJson(object? node, string? key) => node switch
    {
        IDictionary<object, object> map => new System.Text.Json.Nodes.JsonObject(map.Select(p => KeyValuePair.Create((string)p.Key, ToJson(p.Value, (string)p.Key)))),
        IList<object> list => new System.Text.Json.Nodes.JsonArray(list.Select(item => ToJson(item, key)).ToArray()),
        string text when key is not ("description" or "pattern" or "enum") && long.TryParse(text, out long number) => System.Text.Json.Nodes.JsonValue.Create(number),
        string text when key is not ("description" or "pattern" or "enum") && text is "true" or "false" => System.Text.Json.Nodes.JsonValue.Create(text == "true"),
        string text => System.Text.Json.Nodes.JsonValue.Create(text),
        null => null,
        _ => System.Text.Json.Nodes.JsonValue.Create(node.ToString()),
    };

    private static object? Walk(object? node, params object[] path)
    {
        foreach (object step in path)
        {
            node = step switch
            {
                string key => ((IDictionary<object, object>)node!)[key],
                int index => ((IList<object>)node!)[index],
                _ => null,
            };
        }

        return node;
    }
}
