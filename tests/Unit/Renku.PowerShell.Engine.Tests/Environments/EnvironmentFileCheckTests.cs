using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>
/// An environments file checked whole: one run reports every problem, each with its stable id, the
/// file, the line, the entry and the key, in one paragraph, with what to write instead.
/// </summary>
public sealed class EnvironmentFileCheckTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-envfile-check-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void AFileWithManyMistakesReportsEveryOneInOneRun()
    {
        string path = Write("four.yaml", string.Join('\n',
            "environments:",
            "  - name: Python",                                   // 2
            "    container_image: python:3.12",
            "    prot: 8888",                                     // 4: unknown key
            "  - name: R",                                        // 5: container_image missing
            "    port: 8787",
            "  - name: Python",                                   // 7: name listed twice
            "    container_image: python:3.11",
            "    port: 70000",                                    // 9: out of Renku's range
            "  - name: Typed",
            "    container_image: python:3.12",
            "    uid: thousand",                                  // 12: not a number
            "    strip_path_prefix: maybe",                       // 13: not a flag
            ""));
        EnvironmentFileCheck check = EnvironmentFile.Check(path);

        Assert.False(check.IsValid);
        Assert.Equal(
            new[]
            {
                "4 EnvironmentFileUnknownKey prot",
                "5 InvalidEnvironmentImage container_image",
                "7 DuplicateEnvironmentName name",
                "9 InvalidEnvironmentPort port",
                "12 EnvironmentFileWrongType uid",
                "13 EnvironmentFileWrongType strip_path_prefix",
            },
            check.Problems.Select(p => $"{p.Line} {p.ErrorId} {p.Key}"));
        Assert.All(check.Problems, p => Assert.StartsWith($"{path}, line {p.Line}: ", p.Message, StringComparison.Ordinal));
        Assert.All(check.Problems, p => Assert.DoesNotContain('\n', p.Message));
        Assert.All(check.Problems, p => Assert.False(p.IsFatal));

        Assert.Contains("environments[0] (name: Python) has the unknown key 'prot': did you mean 'port'?", check.Problems[0].Message, StringComparison.Ordinal);
        Assert.Equal("environments[1] (name: R)", check.Problems[1].Entry);
        Assert.Contains("environments[1] (name: R).container_image is missing", check.Problems[1].Message, StringComparison.Ordinal);
        Assert.DoesNotContain("characters", check.Problems[1].Message, StringComparison.Ordinal);
        Assert.NotNull(check.Problems[1].Suggestion);
        Assert.Contains($"is also the name of environments[0] ({path}, line 2)", check.Problems[2].Message, StringComparison.Ordinal);
        Assert.Contains("must be between 1 and 65399", check.Problems[3].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AValidFileHasNoProblemsAndItsEnvironments()
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("ok.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n  - name: B\n    container_image: rocker/rstudio:4.4\n    port: 8787\n"));
        Assert.True(check.IsValid);
        Assert.Equal(new[] { "A", "B" }, check.Environments.Select(e => e.Name));
        Assert.Equal(8787, check.Environments[1].Port);
    }

    [Theory]
    [InlineData("name: ", "environments[0].name is empty")]
    [InlineData("name: ''", "environments[0].name is empty")]
    [InlineData("description: x", "environments[0].name is missing")]
    public void ARequiredKeyLeftOutOrEmptyIsMissingNotALength(string line, string said)
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("missing.yaml", $"environments:\n  - container_image: python:3.12\n    {line}\n"));
        EnvironmentFileProblem problem = Assert.Single(check.Problems);
        Assert.Equal("InvalidEnvironmentName", problem.ErrorId);
        Assert.Contains(said, problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("it has 0", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("prot", "port")]
    [InlineData("Port", "port")]
    [InlineData("containerImage", "container_image")]
    [InlineData("container-image", "container_image")]
    [InlineData("image", "container_image")]
    [InlineData("nme", "name")]
    [InlineData("defaulturl", "default_url")]
    [InlineData("is_archive", "is_archived")]
    [InlineData("working_dir", "working_directory")]
    [InlineData("workdir", "working_directory")]
    [InlineData("arguments", "args")]
    [InlineData("colour", null)]
    [InlineData("x", null)]
    public void AnUnknownKeySuggestsTheNearestKnownOne(string key, string? suggested)
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("key.yaml", $"environments:\n  - name: A\n    container_image: python:3.12\n    {key}: 1\n"));
        EnvironmentFileProblem problem = Assert.Single(check.Problems);
        Assert.Equal(("EnvironmentFileUnknownKey", 4L, key), (problem.ErrorId, problem.Line!.Value, problem.Key!));
        if (suggested is null)
        {
            Assert.DoesNotContain("did you mean", problem.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"'{key}': did you mean '{suggested}'?", problem.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void AnUnknownTopLevelKeyIsReportedAndTheEntriesAreStillChecked()
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("top.yaml", "enviroments: []\nenvironments:\n  - name: A\n    container_image: Bad Image\n"));
        Assert.Equal(new[] { "EnvironmentFileUnknownKey", "InvalidEnvironmentImage" }, check.Problems.Select(p => p.ErrorId));
        Assert.Contains("Did you mean 'environments'?", check.Problems[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("syntax.yaml", "environments:\n  - name: A\n    container_image: python:3.12\n   port: 8888\n  - prot: 1\n", "EnvironmentFileSyntaxError", 4L)]
    [InlineData("syntax.json", "{ \"environments\": [ { \"name\": \"A\" \"port\": 1 } ] }", "EnvironmentFileSyntaxError", 1L)]
    [InlineData("list.yaml", "- name: A\n  prot: 1\n", "EnvironmentFileShapeInvalid", 1L)]
    [InlineData("nolist.yaml", "environments:\n", "EnvironmentFileShapeInvalid", 1L)]
    public void WhatStopsTheReadingIsOneFatalProblem(string name, string text, string errorId, long line)
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write(name, text));
        EnvironmentFileProblem problem = Assert.Single(check.Problems);
        Assert.Equal((errorId, line, true), (problem.ErrorId, problem.Line!.Value, problem.IsFatal));
        Assert.DoesNotContain('\n', problem.Message);
        Assert.Empty(check.Items);
    }

    [Fact]
    public void EntriesThatAreNotMappingsAreEachReportedAndTheOthersChecked()
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("shapes.yaml", "environments:\n  - python:3.12\n  -\n  - name: A\n    container_image: Bad Image\n"));
        Assert.Equal(new[] { "2 EnvironmentFileShapeInvalid", "3 EnvironmentFileShapeInvalid", "5 InvalidEnvironmentImage" }, check.Problems.Select(p => $"{p.Line} {p.ErrorId}"));
    }

    [Fact]
    public void AWrongTypeIsReportedOnceNotAgainAsAMissingValue()
    {
        EnvironmentFileCheck check = EnvironmentFile.Check(Write("types.json", "{\"environments\": [\n{\"name\": [\"A\"], \"container_image\": {\"ref\": \"python\"}}\n]}"));
        Assert.Equal(new[] { "name", "container_image" }, check.Problems.Select(p => p.Key));
        Assert.All(check.Problems, p => Assert.Equal("EnvironmentFileWrongType", p.ErrorId));
    }

    [Fact]
    public void ReadAndReadItemsStillStopAtTheFirstProblem()
    {
        string path = Write("two.yaml", "environments:\n  - name: A\n    colour: blue\n    prot: 1\n");
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(path));
        Assert.Equal(3, error.Line);
        Assert.Equal(3, Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.Read(path)).Line);
        Assert.Equal(3, EnvironmentFile.Check(path).Problems.Count);
    }

    [Fact]
    public void AFileThatDoesNotExistIsFileNotFound() =>
        Assert.Throws<FileNotFoundException>(() => EnvironmentFile.Check(Path.Combine(directory, "absent.yaml")));

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }
}
