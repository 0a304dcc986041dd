using Xunit;
using Renku.PowerShell.Dockerfiles;

namespace Renku.PowerShell.Engine.Tests.Compliance;

public class DockerfileParserTests
{
    private const string Sample =
        "# syntax=docker/dockerfile:1.7\n" +
        "# check=skip=all\n" +
        "\n" +
        "# a comment\n" +
        "ARG BASE=ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab\n" +
        "ARG TAG=\"2.10.3\"\n" +
        "FROM --platform=linux/amd64 python:3.12-slim AS builder\n" +
        "RUN pip install \\\n" +
        "    # inside a continuation\n" +
        "\n" +
        "    numpy\n" +
        "FROM ${BASE}:${TAG}\r\n" +
        "USER root\n" +
        "COPY --from=builder /wheels /wheels\n" +
        "RUN <<EOF\n" +
        "apt-get update\n" +
        "EOF\n" +
        "user renku\n" +
        "CMD [\"jupyter\", \"lab\"]\n" +
        "ENTRYPOINT /bin/sh -c 'not json\n";

    [Fact]
    public void ReadsDirectivesArgsStagesAndSpans()
    {
        DockerfileDocument document = DockerfileDocument.Parse(Sample, "Dockerfile");
        Assert.Equal("docker/dockerfile:1.7", document.Directives["syntax"]);
        Assert.Equal("skip=all", document.Directives["check"]);
        Assert.Equal("2.10.3", document.GlobalArguments["TAG"]);
        Assert.Equal(2, document.Stages.Count);

        DockerfileStage builder = document.Stages[0];
        Assert.Equal("builder", builder.Name);
        Assert.Equal("linux/amd64", builder.Platform);
        DockerfileInstruction run = Assert.Single(builder.Instructions);
        Assert.Equal(8, run.StartLine);
        Assert.Equal(11, run.EndLine);
        Assert.Equal("pip install     numpy", run.Arguments);
        Assert.Equal(run.SourceText, Sample.Substring(run.StartOffset, run.Length));
        Assert.EndsWith("numpy", run.SourceText, StringComparison.Ordinal);

        DockerfileStage final = document.FinalStage!;
        Assert.Equal("${BASE}:${TAG}", final.BaseImage);
        Assert.Equal("ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3", final.ResolvedBaseImage);
        Assert.Equal(12, final.From.StartLine);
        Assert.Equal("FROM ${BASE}:${TAG}", final.From.SourceText);
        Assert.Equal("builder", final.Instructions.Single(i => i.Keyword == "COPY").Flags["from"]);
        DockerfileInstruction heredoc = final.Instructions.Single(i => i.Keyword == "RUN");
        Assert.Equal(15, heredoc.StartLine);
        Assert.Equal(17, heredoc.EndLine);
        Assert.Contains("apt-get update", heredoc.Arguments, StringComparison.Ordinal);
        Assert.Equal("renku", final.LastUser!.Arguments);
        Assert.Equal(18, final.LastUser.StartLine);
        Assert.Equal(new[] { "jupyter", "lab" }, final.Cmd!.ExecForm);
        Assert.Null(final.Entrypoint!.ExecForm);
        Assert.All(document.Instructions, i => Assert.Equal(i.SourceText, Sample.Substring(i.StartOffset, i.Length)));
    }

    [Fact]
    public void BuildArgumentsOverrideDefaultsAndStagesChain()
    {
        const string text = "ARG VERSION\nFROM debian:${VERSION:-12} AS base\nUSER 1000\nFROM base\nRUN true\n";
        DockerfileDocument defaults = DockerfileDocument.Parse(text);
        Assert.Equal("debian:12", defaults.Stages[0].ResolvedBaseImage);
        Assert.Same(defaults.Stages[0], defaults.FinalStage!.BaseStage);
        Assert.Equal("debian:12", defaults.FinalStage.RootImage);

        DockerfileDocument given = DockerfileDocument.Parse(text, buildArguments: new Dictionary<string, string> { ["VERSION"] = "13" });
        Assert.Equal("debian:13", given.Stages[0].ResolvedBaseImage);
    }

    [Fact]
    public void TheEscapeDirectiveChangesTheContinuationCharacter()
    {
        DockerfileDocument document = DockerfileDocument.Parse("# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir `\n    c:\\\n");
        Assert.Equal('`', document.EscapeCharacter);
        DockerfileInstruction run = document.FinalStage!.Instructions.Single();
        Assert.Equal(3, run.StartLine);
        Assert.Equal(4, run.EndLine);
        Assert.Equal("dir     c:\\", run.Arguments);
    }

    [Fact]
    public void DirectivesAfterAnInstructionAreComments()
    {
        DockerfileDocument document = DockerfileDocument.Parse("FROM debian:12\n# escape=`\n");
        Assert.Empty(document.Directives);
        Assert.Equal('\\', document.EscapeCharacter);
    }
}
