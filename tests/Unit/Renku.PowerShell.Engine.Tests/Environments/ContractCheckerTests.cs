using Renku.PowerShell.TestServers;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>The contract check can fail: it catches what the spec forbids, and the recorded server answer passes.</summary>
public class ContractCheckerTests
{
    private static readonly ContractChecker Checker = ContractChecker.Load();

    [Fact]
    public void TheServersRecordedAnswerConforms()
    {
        string example = File.ReadAllText(Path.Combine(ContractChecker.FindSpecDirectory(), "examples", "GET_environments_include_archived.snapshot.json"));

        // The upstream snapshot has ids and dates stripped; put well-formed ones back.
        var list = System.Text.Json.Nodes.JsonNode.Parse(example)!.AsArray();
        foreach (var env in list)
        {
            env!["id"] = Ulid.New();
            env["creation_date"] = "2025-01-02T03:04:05Z";
        }

        Checker.Check("GET", "/environments", null, 200, list.ToJsonString());
        Assert.DoesNotContain(Checker.Violations, v => v.StartsWith("GET /environments ", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("{\"id\":\"not-a-ulid\",\"name\":\"x\",\"creation_date\":\"2025-01-02T03:04:05Z\",\"container_image\":\"abc\",\"default_url\":\"/\",\"uid\":1000,\"gid\":1000,\"port\":8888}", "/id")]
    [InlineData("{\"id\":\"01HZ5Q3K8M0000000000000000\",\"name\":\"x\",\"creation_date\":\"2025-01-02T03:04:05Z\",\"container_image\":\"abc\",\"default_url\":\"/\",\"uid\":1000,\"gid\":1000,\"port\":65400}", "port")]
    [InlineData("{\"id\":\"01HZ5Q3K8M0000000000000000\",\"name\":\"x\",\"creation_date\":\"2025-01-02T03:04:05Z\",\"default_url\":\"/\",\"uid\":1000,\"gid\":1000,\"port\":8888}", "container_image")]
    [InlineData("{\"id\":\"01HZ5Q3K8M0000000000000000\",\"name\":\"\",\"creation_date\":\"2025-01-02T03:04:05Z\",\"container_image\":\"abc\",\"default_url\":\"/\",\"uid\":1000,\"gid\":1000,\"port\":8888}", "name")]
    public void ResponsesThatBreakTheSpecAreCaught(string body, string field)
    {
        var errors = Checker.ValidateComponent("Environment", body);
        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains(field, StringComparison.OrdinalIgnoreCase) || e.Contains("PropertyRequired", StringComparison.Ordinal) || e.Contains("Pattern", StringComparison.Ordinal) || e.Contains("TooShort", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownOperationsAndUndeclaredBodiesAreViolations()
    {
        var checker = ContractChecker.Load();
        checker.Check("PUT", "/environments", "{}", 200, "{}");
        checker.Check("DELETE", "/environments/01HZ5Q3K8M0000000000000000", null, 204, "{\"unexpected\":true}");
        Assert.Equal(2, checker.Violations.Count);
    }

    [Fact]
    public void PatchBodiesFollowTheServersRules()
    {
        Assert.Null(Checker.FirstSchemaError("EnvironmentPatch", System.Text.Json.Nodes.JsonNode.Parse("{\"command\":null,\"working_directory\":\"\",\"port\":8888}")!));
        Assert.NotNull(Checker.FirstSchemaError("EnvironmentPatch", System.Text.Json.Nodes.JsonNode.Parse("{\"port\":0}")!));
        Assert.NotNull(Checker.FirstSchemaError("EnvironmentPost", System.Text.Json.Nodes.JsonNode.Parse("{\"name\":\"x\",\"container_image\":\"abc\"}")!));
    }
}
