using System.Text;

using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>
/// Broken environments files, as a careless hand or a hostile one writes them: every error names
/// the file, the line and the key, and says what was expected in the file's terms, never what a
/// library or a .NET type would call it.
/// </summary>
public sealed class EnvironmentFileErrorTests : IDisposable
{
    private static readonly string[] Internals = { "System.", "Nullable", "PublicKeyToken", "deserializer", "Arithmetic operation", "overflow", "Renku.PowerShell", "Idx:", "BytePositionInLine" };

    private readonly string directory = Directory.CreateTempSubdirectory("renku-envfile-errors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("syntax.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n   port: 8888\n", 4, "the YAML is not valid")]
    [InlineData("tab.yaml", "environments:\n\t- name: A\n", 1, "the YAML is not valid: While scanning a mapping, found invalid tab as indentation")]
    [InlineData("unclosed.yaml", "environments:\n  - name: \"A\n", 2, "the YAML is not valid (lines 2 to 3)")]
    [InlineData("syntax.json", "{ \"environments\": [ { \"name\": \"A\" \"port\": 1 } ] }", 1, "the JSON is not valid")]
    [InlineData("lines.json", "{\n  \"environments\": [\n    { \"name\": \"A\",\n      \"port\": }\n  ]\n}\n", 4, "the JSON is not valid")]
    [InlineData("list.yaml", "- name: A\n  container_image: python:3.12\n", 1, "Put 'environments:' above the entries")]
    [InlineData("list.json", "[ { \"name\": \"A\" } ]", 1, "Put 'environments:' above the entries")]
    [InlineData("scalar.yaml", "just text\n", 1, "must be a mapping with a top-level 'environments' list")]
    [InlineData("empty.yaml", "", 1, "the file is empty")]
    [InlineData("nolist.yaml", "environments:\n", 1, "no 'environments' list")]
    [InlineData("other.yaml", "environments: []\nextra: 1\n", 2, "unknown top-level key 'extra'")]
    [InlineData("notlist.yaml", "environments:\n  name: A\n", 2, "'environments' must be a list of entries; it is a mapping")]
    [InlineData("string.yaml", "environments:\n  - name: Broken\n    container_image: python:3.12\n    port: eighty\n", 4, "environments[0] (name: Broken).port must be a whole number; it is 'eighty'")]
    [InlineData("float.yaml", "environments:\n  - name: Broken\n    port: 88.5\n", 3, "port must be a whole number")]
    [InlineData("quoted.json", "{ \"environments\": [ { \"name\": \"Broken\", \"port\": \"8888\" } ] }", 1, "environments[0] (name: Broken).port must be a whole number; it is the text '8888' (a JSON string: leave out the quotes)")]
    [InlineData("flag.yaml", "environments:\n  - name: A\n    strip_path_prefix: maybe\n", 3, "environments[0] (name: A).strip_path_prefix must be true or false; it is 'maybe'")]
    [InlineData("command.yaml", "environments:\n  - name: A\n    command: bash -c\n", 3, "environments[0] (name: A).command must be a list of strings ([bash, -c]); it is 'bash -c'")]
    [InlineData("nested.yaml", "environments:\n  - name: A\n    args:\n      - [x]\n", 4, "environments[0] (name: A).args[0] must be a string; it is a list")]
    [InlineData("nametype.yaml", "environments:\n  - name: [A, B]\n", 2, "environments[0].name must be text; it is a list")]
    [InlineData("unknown.yaml", "environments:\n  - name: A\n    colour: blue\n", 3, "environments[0] (name: A) has the unknown key 'colour'")]
    [InlineData("unknown.json", "{\n \"environments\": [\n  { \"name\": \"A\",\n    \"prot\": 8888 } ] }", 4, "has the unknown key 'prot': did you mean 'port'? An entry's keys are name, description, container_image")]
    [InlineData("twice.yaml", "environments:\n  - name: A\n    port: 1\n    port: 2\n", 4, "the key 'port' appears twice in one mapping (lines 3 and 4)")]
    [InlineData("twice.json", "{\"environments\": [{\"name\": \"A\",\n\"name\": \"B\"}]}", 2, "the key 'name' appears twice")]
    [InlineData("nullentry.yaml", "environments:\n  - name: A\n  -\n", 3, "environments[1] is empty")]
    [InlineData("scalarentry.yaml", "environments:\n  - python:3.12\n", 2, "environments[0] must be a mapping of keys")]
    [InlineData("docs.yaml", "environments: []\n---\nenvironments: []\n", 2, "more than one YAML document")]
    [InlineData("alias.yaml", "environments:\n  - name: A\n    command: *nothing\n", 3, "the alias *nothing names no anchor before it")]
    public void ErrorsSayWhatIsWrongInTheFilesTerms(string name, string text, long line, string said)
    {
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(Write(name, text)));
        Assert.Equal(line, error.Line);
        Assert.Contains(said, error.Message, StringComparison.Ordinal);
        Assert.StartsWith(Path.Combine(directory, name) + ", line " + line + ": ", error.Message, StringComparison.Ordinal);
        Assert.All(Internals, word => Assert.DoesNotContain(word, error.Message, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("environments:\n  - name: Big\n    container_image: python:3.12\n    port: 99999999999\n", "port", "InvalidEnvironmentPort", "environments[0] (name: Big).port must be between 1 and 65399 (65400 and above are reserved for Renku); it is 99999999999.")]
    [InlineData("environments:\n  - name: Big\n    container_image: python:3.12\n    uid: -99999999999999999999999\n", "uid", "InvalidEnvironmentUid", "environments[0] (name: Big).uid must be between 1 and 65535; it is -99999999999999999999999.")]
    [InlineData("environments:\n  - name: Big\n    container_image: python:3.12\n    gid: 70000\n", "gid", "InvalidEnvironmentGid", "environments[0] (name: Big).gid must be between 1 and 65535; it is 70000.")]
    public void NumbersOutOfRangeAreRenkusLimitsNamedAsWritten(string text, string field, string errorId, string said)
    {
        string path = Write("big.yaml", text);
        IReadOnlyList<EnvironmentFileItem> items = EnvironmentFile.ReadItems(path);
        EnvironmentValidationProblem problem = Assert.Single(EnvironmentFile.Validate(path, items));
        Assert.Equal((field, errorId), (problem.Field, problem.ErrorId));
        Assert.Equal($"{path}, line 4: {said}", problem.Message);
    }

    [Fact]
    public void ABadEntryIsNamedByIndexNameKeyAndLine()
    {
        string path = Write("envs.yaml", "environments:\n  - name: Good\n    container_image: python:3.12\n  - name: Also good\n    container_image: python:3.12\n  - name: Broken\n    container_image: Bad Image\n    port: 70000\n  - container_image: python:3.12\n");
        var problems = EnvironmentFile.Validate(path, EnvironmentFile.ReadItems(path));
        Assert.Equal(new[] { "InvalidEnvironmentImage", "InvalidEnvironmentPort", "InvalidEnvironmentName" }, problems.Select(p => p.ErrorId));
        Assert.StartsWith($"{path}, line 7: environments[2] (name: Broken).container_image 'Bad Image' is not a valid image reference", problems[0].Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}, line 8: environments[2] (name: Broken).port must be between 1 and 65399", problems[1].Message, StringComparison.Ordinal);
        Assert.StartsWith($"{path}, line 9: environments[3].name is missing; every entry needs one.", problems[2].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("-Image", problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void JsonEntriesAreNamedTheSameWay()
    {
        string path = Write("envs.json", "{\n  \"environments\": [\n    {\n      \"name\": \"Broken\",\n      \"container_image\": \"Bad Image\"\n    }\n  ]\n}\n");
        EnvironmentValidationProblem problem = Assert.Single(EnvironmentFile.Validate(path, EnvironmentFile.ReadItems(path)));
        Assert.StartsWith($"{path}, line 5: environments[0] (name: Broken).container_image 'Bad Image'", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AHostileFileCannotExhaustTheReader()
    {
        var deep = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(Write("deep.yaml", "environments: " + new string('[', 100_000))));
        Assert.Contains("nested deeper than", deep.Message, StringComparison.Ordinal);
        var deepJson = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(Write("deep.json", "{\"environments\": " + new string('[', 100_000))));
        Assert.Contains("the JSON is not valid", deepJson.Message, StringComparison.Ordinal);

        // An alias names the node it points to, it is not copied: a thousand of them cost nothing.
        string aliases = "x: &a [bash]\n";
        var bomb = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(Write("alias.yaml", aliases)));
        Assert.Contains("unknown top-level key 'x'", bomb.Message, StringComparison.Ordinal);
        string many = "environments:\n  - name: A\n    container_image: python:3.12\n    command: &c [bash, -c]\n" + string.Concat(Enumerable.Range(0, 1000).Select(i => $"  - name: E{i}\n    container_image: python:3.12\n    command: *c\n"));
        Assert.Equal(1001, EnvironmentFile.ReadItems(Write("many.yaml", many)).Count);
    }

    [Fact]
    public void TextThatIsNotUtf8IsSaidToBeSo()
    {
        string path = Path.Combine(directory, "latin1.yaml");
        File.WriteAllBytes(path, Encoding.Latin1.GetBytes("environments:\n  - name: Caf\u00e9\n"));
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(path));
        Assert.Contains("not UTF-8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PlainYamlScalarsAndQuotedNumbersReadAsBefore()
    {
        string path = Write("ok.yaml", "\uFEFFenvironments:\n  - name: 2024\n    container_image: python:3.12\n    port: '8080'\n    strip_path_prefix: True\n    description: ~\n    command: [bash, '-c', \"echo 1\"]\n");
        EnvironmentFileItem item = Assert.Single(EnvironmentFile.ReadItems(path));
        Assert.Equal(("2024", 8080, true, (string?)null), (item.Spec.Name, item.Spec.Port, item.Spec.StripPathPrefix, item.Spec.Description));
        Assert.Equal(new[] { "bash", "-c", "echo 1" }, item.Spec.Command);
        Assert.Equal(4, item.LineOf(EnvironmentFields.Port));
        Assert.Equal(2, item.LineOf(EnvironmentFields.Uid));
    }

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
