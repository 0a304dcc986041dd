using System.Management.Automation;

using Renku.PowerShell.Tests.Builds;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests;

public class ConvertToRenkuImageReferenceTests
{
    [Fact]
    public void ShortNamesAreNormalisedLikeDocker()
    {
        var result = ModuleHost.Run("'python' | ConvertTo-RenkuImageReference").ShouldSucceed();
        PSObject reference = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.ImageReference", reference.TypeNames[0]);
        Assert.Equal("docker.io/library/python:latest", reference.Properties["FullName"].Value);
        Assert.Equal(true, reference.Properties["IsDockerHub"].Value);
        Assert.Equal("Missing", reference.Properties["TagKind"].Value.ToString());
    }

    [Fact]
    public void InvalidItemsAreReportedAndThePipelineGoesOn()
    {
        var result = ModuleHost.Run("'python:3.12', 'Bad/Upper/Repo', 'UPPER', 'localhost:5000/app@sha256:abc', 'ok/app:1.0' | ConvertTo-RenkuImageReference");
        Assert.Null(result.Terminating);
        Assert.Equal(new[] { "docker.io/library/python:3.12", "docker.io/ok/app:1.0" }, result.Output.Select(o => (string)o.Properties["FullName"].Value).ToArray());
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e => Assert.Equal("InvalidImageReference,Renku.PowerShell.Commands.Images.ConvertToRenkuImageReferenceCommand", e.FullyQualifiedErrorId));
        Assert.All(result.Errors, e => Assert.Equal(ErrorCategory.InvalidArgument, e.CategoryInfo.Category));
        Assert.Contains("lowercase", result.Errors[1].ToString(), StringComparison.Ordinal);
        Assert.Contains("digest", result.Errors[2].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void EnvironmentLikeObjectsPipeInByPropertyName()
    {
        var result = ModuleHost.Run("[pscustomobject]@{ name = 'Python'; container_image = 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3' } | ConvertTo-RenkuImageReference").ShouldSucceed();
        PSObject reference = Assert.Single(result.Output);
        Assert.Equal("ghcr.io", reference.Properties["Registry"].Value);
        Assert.Equal("swissdatasciencecenter/renku/py-basic-jupyterlab", reference.Properties["Repository"].Value);
        Assert.Equal("Semver", reference.Properties["TagKind"].Value.ToString());
    }

    /// <summary>
    /// Long names, accepted or refused exactly as the docker CLI's own parser (distribution/reference)
    /// accepts or refuses them in <c>docker tag</c>: only the path counts, library/ included.
    /// </summary>
    [SkippableTheory]
    [InlineData("registry.example.org/", 250)]
    [InlineData("registry.example.org/", 255)]
    [InlineData("registry.example.org/", 256)]
    [InlineData("", 247)]
    [InlineData("", 248)]
    [InlineData("team/", 250)]
    [InlineData("team/", 251)]
    [InlineData("localhost:5000/team/", 249)]
    [InlineData("localhost:5000/team/", 251)]
    public void LongNamesAreJudgedAsTheDockerCliJudgesThem(string prefix, int length)
    {
        string name = prefix + new string('a', length) + ":1";
        BuildBaseImage.Ensure();
        var tagged = DockerDaemon.Cli(TimeSpan.FromMinutes(1), "tag", BuildBaseImage.Tag, name);
        if (tagged.ExitCode == 0)
        {
            // An engine that follows the same rule took the name: remove it again.
            BuildBaseImage.RemoveImage(name);
        }

        // The CLI accepts a name it sends on: the engine took it, or the engine refused it with its
        // own (older, whole-name) rule. It refuses with "Error parsing reference". Anything else
        // (an engine that is not up, a timeout) is no answer to compare with.
        bool cliRefuses = tagged.StdErr.Contains("Error parsing reference", StringComparison.Ordinal);
        bool cliAccepts = tagged.ExitCode == 0 || tagged.StdErr.Contains("Error response from daemon", StringComparison.Ordinal);
        Assert.True(cliAccepts != cliRefuses, $"docker tag gave no answer to compare with (exit code {tagged.ExitCode}): {tagged.StdErr}");
        var result = ModuleHost.Run("ConvertTo-RenkuImageReference $name", new Dictionary<string, object?> { ["name"] = name });
        Assert.Equal(cliAccepts, result.Output.Count == 1);
        Assert.Equal(cliAccepts ? 0 : 1, result.Errors.Count);
    }
}
