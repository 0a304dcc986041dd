using System.Management.Automation;
using System.Net;
using System.Reflection;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests.Core;

/// <summary>
/// One category per error id: ErrorIds holds the table, ErrorMap is the only place a record is
/// made and takes the category from it, and every id the engine hands the module is in it.
/// </summary>
[Collection(nameof(ProcessWideStateCollection))]
public class ErrorTableTests
{
    private static readonly BindingFlags Internal = BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public;

    [Fact]
    public void EveryIdHasExactlyOneCategoryInTheTable()
    {
        Assembly cmdlets = LoadModule();
        string[] ids = cmdlets.GetType("Renku.PowerShell.Commands.Core.ErrorIds", throwOnError: true)!
            .GetFields(Internal).Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!).ToArray();

        Assert.True(ids.Length > 90, $"only {ids.Length} ids were found");
        Assert.Equal(ids.Length, ids.Distinct(StringComparer.Ordinal).Count());

        // The table is a dictionary: one category per id; no id without one, no entry without its id.
        Assert.Equal(ids.Order(StringComparer.Ordinal), ErrorTable.Categories.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void TheIdsTheEngineGivesAreInTheTable()
    {
        Assembly engine = LoadEngine();

        // The problems of an environments file.
        Type fileIds = EngineType(engine, "EnvironmentFileErrorIds");
        string[] problemIds = fileIds.GetFields(Internal).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!).ToArray();
        Assert.NotEmpty(problemIds);
        Assert.All(problemIds, id => Assert.True(ErrorTable.Categories.ContainsKey(id), $"{id} is not in the table"));

        // A value the data API would refuse: InvalidEnvironment + the parameter, for every field
        // the validator refuses a value of.
        Type validator = EngineType(engine, "EnvironmentValidator");
        MethodInfo check = validator.GetMethod("Check", Internal)!;
        var fields = (IEnumerable<string>)EngineType(engine, "EnvironmentFields").GetField("All", Internal)!.GetValue(null)!;
        object?[] badValues = { string.Empty, new string('x', 5000), -1, 0, 70000, "relative/dir", "not a url", new[] { string.Empty }, 3.5 };
        var produced = new HashSet<string>(StringComparer.Ordinal);
        foreach (string field in fields)
        {
            foreach (object? value in badValues)
            {
                object? problem = check.Invoke(null, new[] { field, value, false, null });
                if (problem is not null)
                {
                    produced.Add((string)problem.GetType().GetProperty("ErrorId")!.GetValue(problem)!);
                }
            }
        }

        Assert.True(produced.Count >= 8, "the validator refused too few values: " + string.Join(", ", produced));
        Assert.All(produced, id => Assert.True(ErrorTable.Categories.ContainsKey(id), $"{id} is not in the table"));
    }

    [Fact]
    public void EveryRecordTheMapMakesCarriesItsIdsCategory()
    {
        Assembly engine = LoadEngine();
        Type map = ErrorTable.CmdletAssembly().GetType("Renku.PowerShell.Commands.Core.ErrorMap", throwOnError: true)!;

        // No factory can choose a category: none takes one.
        Assert.DoesNotContain(map.GetMethods(Internal), m => m.GetParameters().Any(p => p.ParameterType == typeof(ErrorCategory)));

        MethodInfo forException = map.GetMethod("For", Internal)!;
        var records = new List<ErrorRecord>();
        void Map(Exception exception)
        {
            var record = (ErrorRecord?)forException.Invoke(null, new object?[] { exception, "target" });
            Assert.True(record is not null, $"{exception.GetType().Name} ({exception.Message}) has no record");
            records.Add(record!);
        }

        foreach (object kind in Enum.GetValues(EngineType(engine, "RegistryErrorKind")))
        {
            Map(Create(engine, "RegistryException", kind, "registry", null));
        }

        foreach (object kind in Enum.GetValues(EngineType(engine, "KubernetesErrorKind")))
        {
            Map(Create(engine, "KubernetesException", kind, "cluster", null));
        }

        foreach (object failure in Enum.GetValues(EngineType(engine, "ImageBuildFailure")))
        {
            Map(Create(engine, "ImageBuildException", failure, "build", null, null, null));
        }

        foreach (object problem in Enum.GetValues(EngineType(engine, "SessionNetworkProblem")))
        {
            Map(Create(engine, "SessionNetworkException", problem, 8888, "network"));
        }

        foreach (HttpStatusCode status in new[] { HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.NotFound, HttpStatusCode.Conflict, HttpStatusCode.UnprocessableEntity, HttpStatusCode.BadGateway, HttpStatusCode.BadRequest })
        {
            Map(Create(engine, "RenkuApiException", status, null, null, null, "GET /x"));
        }

        foreach (string error in new[] { "access_denied", "expired_token", "untrusted_endpoint", "invalid_grant" })
        {
            Map(Create(engine, "OAuthException", error, null, "oauth"));
        }

        foreach (string flag in new[] { "Unreachable", "InvalidAddress", string.Empty })
        {
            Exception docker = Create(engine, "DockerEngineException", "docker");
            if (flag.Length > 0)
            {
                docker.GetType().GetProperty(flag)!.SetValue(docker, true);
            }

            Map(docker);
        }

        Map(new HttpRequestException("refused"));

        // The same id from different exceptions keeps its category: DockerEngineUnavailable comes
        // from a build and from a session check.
        string[] engineUnavailable = records.Where(r => r.FullyQualifiedErrorId == "DockerEngineUnavailable").Select(r => r.CategoryInfo.Category.ToString()).ToArray();
        Assert.Equal(new[] { "ConnectionError", "ConnectionError" }, engineUnavailable);
        Assert.All(records, r => Assert.Equal(ErrorTable.Categories[r.FullyQualifiedErrorId], r.CategoryInfo.Category));
    }

    [Fact]
    public void ACancellationIsNotATimeoutOfRenku()
    {
        LoadModule();
        Type map = ErrorTable.CmdletAssembly().GetType("Renku.PowerShell.Commands.Core.ErrorMap", throwOnError: true)!;
        MethodInfo forException = map.GetMethod("For", Internal)!;

        // Only a timeout the engine reports as Renku's (HttpTimeoutException) is RenkuTimeout; a bare
        // cancellation is a stop, or a bug, never "Renku did not answer".
        Assert.Null(forException.Invoke(null, new object?[] { new TaskCanceledException("a Docker call was cancelled"), null }));
        Assert.Null(forException.Invoke(null, new object?[] { new OperationCanceledException(), null }));
    }

    [Fact]
    public void NoCmdletBuildsARecordOrPicksACategoryItself()
    {
        string source = Path.Combine(RepoPaths.Root, "src", "Renku.PowerShell");
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(source, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)))
        {
            string name = Path.GetFileName(file);
            string[] lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if ((lines[i].Contains("new ErrorRecord(", StringComparison.Ordinal) && name != "ErrorMap.cs")
                    || (lines[i].Contains("ErrorCategory.", StringComparison.Ordinal) && name != "ErrorIds.cs"))
                {
                    offenders.Add($"{Path.GetRelativePath(source, file)}:{i + 1}: {lines[i].Trim()}");
                }
            }
        }

        Assert.True(offenders.Count == 0, "Records are made by ErrorMap, categories come from ErrorIds:" + Environment.NewLine + string.Join(Environment.NewLine, offenders));
    }

    private static Assembly LoadModule()
    {
        ModuleHost.Run("ConvertTo-RenkuImageReference python").ShouldSucceed();
        return ErrorTable.CmdletAssembly();
    }

    private static Assembly LoadEngine()
    {
        LoadModule();
        return AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell.Engine");
    }

    // By simple name: the engine's folders (and the namespaces of its machinery) may move.
    private static Type EngineType(Assembly engine, string name) => engine.GetTypes().Single(t => t.Name == name && !t.IsNested);

    private static Exception Create(Assembly engine, string name, params object?[] arguments) =>
        (Exception)Activator.CreateInstance(EngineType(engine, name), arguments)!;
}
