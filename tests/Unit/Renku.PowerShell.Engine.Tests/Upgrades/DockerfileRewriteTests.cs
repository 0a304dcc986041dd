using System.Text;

using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

/// <summary>Golden tests: only the image characters of a Dockerfile change, everything else stays byte for byte.</summary>
public class DockerfileRewriteTests : IDisposable
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "renku-ps-dockerfiles-" + Guid.NewGuid().ToString("N")[..8]);

    public DockerfileRewriteTests() => Directory.CreateDirectory(directory);

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    public void MultiStageFileKeepsEverythingButTheTags(string eol)
    {
        string original = string.Join(eol, new[]
        {
            "# syntax=docker/dockerfile:1",
            "ARG BASE=ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.1",
            "ARG TAG=3.11-slim",
            "",
            "FROM --platform=$BUILDPLATFORM   python:${TAG}   AS build   # builder",
            "RUN pip wheel .",
            "",
            "FROM scratch AS empty",
            "FROM build AS again",
            "FROM ${BASE}",
            "USER root",
            "COPY --from=build /wheels /wheels",
            "USER renku",
            "",
        });
        string path = Write("Dockerfile", original);

        IReadOnlyList<UpgradeInput> inputs = UpgradeInputReader.FromDockerfile(path);
        Assert.Equal(new[] { "python:3.11-slim", "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.1" }, inputs.Select(i => i.Image));
        Assert.Equal(new[] { 5, 10 }, inputs.Select(i => i.Line!.Value));
        Assert.Equal(new[] { 3, 2 }, inputs.Select(i => i.Site!.Line));

        DockerfileRewriter.Apply(path, inputs[0].ContentDigest!, new[]
        {
            (inputs[0].Site!, "3.12-slim"),
            (inputs[1].Site!, ImageText.WithTag(inputs[1].Site!.Text, "2.11.1")),
        });

        string expected = original.Replace("ARG TAG=3.11-slim", "ARG TAG=3.12-slim", StringComparison.Ordinal).Replace(":2.10.1", ":2.11.1", StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(expected), File.ReadAllBytes(path));
    }

    [Fact]
    public void PlainFromLinesKeepFlagsAliasesCommentsAndShortNames()
    {
        string original = "FROM  --platform=linux/amd64 python:3.11.4-slim  as base\r\n# keep me\r\nFROM localhost:5000/team/app:1.2@sha256:" + new string('a', 64) + "\r\n";
        string path = Write("Dockerfile", original);
        IReadOnlyList<UpgradeInput> inputs = UpgradeInputReader.FromDockerfile(path);
        Assert.Equal(2, inputs.Count);
        Assert.Equal("python:3.11.4-slim", inputs[0].Site!.Text);

        string pinned = ImageText.WithTag(inputs[1].Site!.Text, "1.3", "sha256:" + new string('b', 64));
        DockerfileRewriter.Apply(path, inputs[0].ContentDigest!, new[] { (inputs[0].Site!, ImageText.WithTag(inputs[0].Site!.Text, "3.11.9-slim")), (inputs[1].Site!, pinned) });

        Assert.Equal(
            "FROM  --platform=linux/amd64 python:3.11.9-slim  as base\r\n# keep me\r\nFROM localhost:5000/team/app:1.3@sha256:" + new string('b', 64) + "\r\n",
            File.ReadAllText(path));
    }

    [Fact]
    public void AByteOrderMarkAndNoFinalNewlineSurvive()
    {
        byte[] bom = { 0xEF, 0xBB, 0xBF };
        string path = Path.Combine(directory, "Dockerfile");
        File.WriteAllBytes(path, bom.Concat(Encoding.UTF8.GetBytes("FROM ubuntu:22.04")).ToArray());
        UpgradeInput input = Assert.Single(UpgradeInputReader.FromDockerfile(path));
        DockerfileRewriter.Apply(path, input.ContentDigest!, new[] { (input.Site!, ImageText.WithTag(input.Site!.Text, "24.04")) });
        Assert.Equal(bom.Concat(Encoding.UTF8.GetBytes("FROM ubuntu:24.04")).ToArray(), File.ReadAllBytes(path));
    }

    [Theory]
    [InlineData("FROM debian:12\nRUN true\n")]
    [InlineData("FROM base:1.0.0-mine\nRUN true\n")]
    [InlineData("FROM base:1.0.0\nRUN false\n")]
    [InlineData("FROM base:1.0.0\r\nRUN true\r\n")]
    [InlineData("\uFEFFFROM base:1.0.0\nRUN true\n")]
    public void AFileChangedAnywhereSinceTheAuditIsNotRewritten(string edited)
    {
        // The FROM site keeps its characters in all but the first case: only the whole content tells the change.
        string path = Write("Dockerfile", "FROM base:1.0.0\nRUN true\n");
        UpgradeInput input = Assert.Single(UpgradeInputReader.FromDockerfile(path));
        Write("Dockerfile", edited);
        var error = Assert.Throws<InvalidOperationException>(() => DockerfileRewriter.Apply(path, input.ContentDigest!, new[] { (input.Site!, ImageText.WithTag(input.Site!.Text, "1.1.0")) }));
        Assert.Contains("changed since it was audited", error.Message, StringComparison.Ordinal);
        Assert.Equal(Encoding.UTF8.GetBytes(edited), File.ReadAllBytes(path));
        Assert.Equal(new[] { "Dockerfile" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void ASymbolicLinkIsWrittenThroughAndStaysALink()
    {
        string real = Write("Dockerfile.real", "FROM base:1.0.0\n");
        string link = Path.Combine(directory, "Dockerfile");
        File.CreateSymbolicLink(link, real);
        UpgradeInput input = Assert.Single(UpgradeInputReader.FromDockerfile(link));
        DockerfileRewriter.Apply(link, input.ContentDigest!, new[] { (input.Site!, "base:1.1.0") });
        Assert.NotNull(new FileInfo(link).LinkTarget);
        Assert.Equal("FROM base:1.1.0\n", File.ReadAllText(real));
    }

    [Fact]
    public void AnImageBuiltFromSeveralArgumentsHasNoSafeSite()
    {
        string path = Write("Dockerfile", "ARG REGISTRY=ghcr.io\nARG NAME=o/app\nFROM ${REGISTRY}/${NAME}:1.0\n");
        UpgradeInput input = Assert.Single(UpgradeInputReader.FromDockerfile(path));
        Assert.Equal("ghcr.io/o/app:1.0", input.Image);
        Assert.Null(input.Site);
    }

    [Theory]
    [InlineData("python", "3.12", null, "python:3.12")]
    [InlineData("python:3.11", "3.12", null, "python:3.12")]
    [InlineData("localhost:5000/app:1", "2", null, "localhost:5000/app:2")]
    [InlineData("localhost:5000/app", "2", null, "localhost:5000/app:2")]
    [InlineData("ghcr.io/o/app:1.0@sha256:aaaa", "1.1", "sha256:bbbb", "ghcr.io/o/app:1.1@sha256:bbbb")]
    public void ImageTextKeepsTheWrittenForm(string written, string tag, string? digest, string expected) =>
        Assert.Equal(expected, ImageText.WithTag(written, tag, digest));

    private string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));
        return path;
    }
}
