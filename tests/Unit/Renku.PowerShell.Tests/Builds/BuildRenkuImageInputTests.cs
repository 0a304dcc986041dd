using System.Management.Automation;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>Bad input is reported with a stable id before anything is sent to an engine.</summary>
public sealed class BuildRenkuImageInputTests : IDisposable
{
    private const string FullyQualified = ",Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand";
    private const string NoEngine = "unix:///nonexistent/renku-ps-no-engine.sock";
    private readonly string context = BuildBaseImage.NewDirectory("input");

    public BuildRenkuImageInputTests()
    {
        BuildBaseImage.Write(context, "Dockerfile", "FROM scratch\n");
    }

    [Theory]
    [InlineData("-Tag 'Bad/Upper:1'", "InvalidImageReference")]
    [InlineData("-Tag 'app@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'", "InvalidImageReference")]
    [InlineData("-Push", "PushRequiresTag")]
    [InlineData("-TagFromGit", "InvalidBuildInput")]
    [InlineData("-Dockerfile ./no/such/Dockerfile", "InvalidBuildInput")]
    public void InvalidInputIsAnErrorAndNoEngineIsContacted(string arguments, string errorId)
    {
        // The engine address leads nowhere: reaching it would be a DockerEngineUnavailable error instead.
        var result = ModuleHost.Run($"Build-RenkuImage $context {arguments} -DockerHost '{NoEngine}'", new Dictionary<string, object?> { ["context"] = context });
        Assert.Equal(new[] { errorId + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Empty(result.Output);
    }

    [Fact]
    public void AMissingContextDirectoryIsAnError()
    {
        var result = ModuleHost.Run($"Build-RenkuImage \"$context/missing\" -DockerHost '{NoEngine}'", new Dictionary<string, object?> { ["context"] = context });
        Assert.Equal(new[] { "InvalidBuildInput" + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Equal(ErrorCategory.InvalidArgument, result.Errors[0].CategoryInfo.Category);
    }

    [Fact]
    public void ADirectoryWithoutDockerfileIsAnError()
    {
        File.Delete(Path.Combine(context, "Dockerfile"));
        var result = ModuleHost.Run($"Build-RenkuImage $context -DockerHost '{NoEngine}'", new Dictionary<string, object?> { ["context"] = context });
        Assert.Equal(new[] { "InvalidBuildInput" + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Contains("Dockerfile", result.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableEngineStopsThePipeline()
    {
        var result = ModuleHost.Run($"Build-RenkuImage $context -Tag app:1 -DockerHost '{NoEngine}'", new Dictionary<string, object?> { ["context"] = context });
        Assert.Equal(new[] { "DockerEngineUnavailable" + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Equal(ErrorCategory.ConnectionError, result.Errors[0].CategoryInfo.Category);

        // Terminating: try/catch sees it, and the second context in the pipeline is never tried.
        var caught = ModuleHost.Run($"try {{ $context, $context | Build-RenkuImage -Tag app:1 -DockerHost '{NoEngine}' }} catch {{ 'caught ' + $_.FullyQualifiedErrorId }}", new Dictionary<string, object?> { ["context"] = context });
        Assert.True(caught.Output.Count == 1, string.Join(" | ", caught.ErrorIds) + " / " + caught.AllText());
        Assert.Equal("caught DockerEngineUnavailable" + FullyQualified, caught.Output[0].BaseObject);
    }

    [Fact]
    public void WhatIfSendsNothing()
    {
        var result = ModuleHost.Run($"Build-RenkuImage $context -Tag app:1 -Push -DockerHost '{NoEngine}' -WhatIf", new Dictionary<string, object?> { ["context"] = context });
        Assert.Empty(result.ErrorIds);
        Assert.Empty(result.Output);
        Assert.Null(result.Terminating);
    }

    [Fact]
    public void ContextsPipeInByPropertyName()
    {
        var result = ModuleHost.Run($"[pscustomobject]@{{ FullName = $context }}, [pscustomobject]@{{ FullName = \"$context/missing\" }} | Build-RenkuImage -DockerHost '{NoEngine}' -WhatIf", new Dictionary<string, object?> { ["context"] = context });
        Assert.Equal(new[] { "InvalidBuildInput" + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Contains("missing", result.Errors[0].TargetObject.ToString(), StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(context, recursive: true);
}
