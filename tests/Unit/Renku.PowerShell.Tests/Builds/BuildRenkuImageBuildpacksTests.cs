using System.Management.Automation;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>Buildpacks mode, against a stand-in pack executable (pack itself is not installed here).</summary>
public sealed class BuildRenkuImageBuildpacksTests : IDisposable
{
    private const string FullyQualified = ",Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand";
    private readonly string app = BuildBaseImage.NewDirectory("app");

    public BuildRenkuImageBuildpacksTests()
    {
        BuildBaseImage.Write(app, "environment.yml", "dependencies:\n  - python=3.12\n");
    }

    [SkippableFact]
    public void PackGetsRenkusBuilderTheFrontendAndEveryOptionAndItsOutputIsStreamed()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create();
        var result = ModuleHost.Run(
            "Build-RenkuImage $app -Buildpacks -Frontend vscodium -Tag 'registry.example.org/team/env:1.0', 'registry.example.org/team/env:stable' " +
            "-Publish -Platform linux/arm64 -Env @{ BP_CONDA_SOLVER = 'libmamba'; BP_ASDF = 1 } -PackPath $pack -DockerHost 'unix:///run/other.sock' -Verbose",
            new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable }).ShouldSucceed();

        Assert.Equal(
            new[]
            {
                "build", "registry.example.org/team/env:1.0", "--path", app,
                "--builder", "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/selector:0.9.1",
                "--run-image", "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/run-image:0.9.1",
                "--env", "BP_RENKU_FRONTENDS=vscodium", "--env", "BP_ASDF=1", "--env", "BP_CONDA_SOLVER=libmamba",
                "--tag", "registry.example.org/team/env:stable", "--platform", "linux/arm64", "--publish", "--no-color",
                "DOCKER_HOST=unix:///run/other.sock",
            },
            pack.RecordedArguments);

        PSObject output = Assert.Single(result.Output);
        Assert.Equal("Buildpacks", output.Properties["Mode"].Value.ToString());
        Assert.Equal(StandInPack.Digest, output.Properties["Digest"].Value);
        Assert.Equal("1a2b3c4d5e6f", output.Properties["ImageId"].Value);
        Assert.Equal(new[] { "registry.example.org/team/env:1.0", "registry.example.org/team/env:stable" }, ((IEnumerable<string>)output.Properties["PushedTags"].Value).ToArray());
        Assert.Contains("renku/jupyterlab      0.8.0", result.Verbose);
        Assert.Contains("Step 4/5 : BUILDING", result.Verbose);
        Assert.Contains(result.Progress, p => p.ActivityId == 7001 && p.StatusDescription == "Step 4/5 : BUILDING");
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [SkippableFact]
    public void TheBuilderAndRunImageCanBeOverriddenAndNothingIsPublishedByDefault()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create();
        var result = ModuleHost.Run(
            "Build-RenkuImage -Path $app -Buildpacks -Frontend rstudio -Tag team/env -Builder 'my.registry/builder:2' -RunImage 'my.registry/run:2' -PackPath $pack",
            new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable }).ShouldSucceed();

        string[] arguments = pack.RecordedArguments;
        Assert.Equal("docker.io/team/env:latest", arguments[1]);
        Assert.Equal("my.registry/builder:2", arguments[Array.IndexOf(arguments, "--builder") + 1]);
        Assert.Equal("my.registry/run:2", arguments[Array.IndexOf(arguments, "--run-image") + 1]);
        Assert.Contains("BP_RENKU_FRONTENDS=rstudio", arguments);
        Assert.DoesNotContain("--publish", arguments);
        Assert.Empty((IEnumerable<string>)Assert.Single(result.Output).Properties["PushedTags"].Value);
    }

    [SkippableFact]
    public void WithoutAFrontendTheBuildersOwnDefaultIsNamed()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create();
        ModuleHost.Run("Build-RenkuImage $app -Buildpacks -Tag team/env:1 -PackPath $pack", new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable }).ShouldSucceed();
        Assert.Contains("BP_RENKU_FRONTENDS=vscodium", pack.RecordedArguments);
    }

    [SkippableFact]
    public void AFailingPackIsAnErrorQuotingThePhaseAndItsOutput()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create("fail");
        var result = ModuleHost.Run(
            "Build-RenkuImage $app -Buildpacks -Frontend jupyterlab -Tag team/env:1 -PackPath $pack",
            new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable });

        Assert.Empty(result.Output);
        ErrorRecord error = Assert.Single(result.Errors);
        Assert.Equal("PackBuildFailed" + FullyQualified, error.FullyQualifiedErrorId);
        Assert.Contains("BUILDING", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("exit code 1", error.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("Installing jupyterlab", error.ErrorDetails.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void StoppingThePipelineKillsPack()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create("hang");
        using var pipeline = new PipelineRunner("Build-RenkuImage $app -Buildpacks -Frontend ttyd -Tag team/env:1 -PackPath $pack -Verbose", new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable });
        Assert.True(pipeline.WaitFor(() => pipeline.Verbose.Contains("Step 4/5 : BUILDING") && File.Exists(pack.PidFile), TimeSpan.FromSeconds(30)), "pack did not reach BUILDING");
        int pid = int.Parse(File.ReadAllText(pack.PidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Directory.Exists("/proc/" + pid));

        Assert.True(pipeline.Stop() < TimeSpan.FromSeconds(20));
        DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Directory.Exists("/proc/" + pid) && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(100);
        }

        Assert.False(Directory.Exists("/proc/" + pid), "pack still runs");
    }

    [Fact]
    public void AMissingPackIsATerminatingPackNotFound()
    {
        var result = ModuleHost.Run(
            "Build-RenkuImage $app -Buildpacks -Frontend jupyterlab -Tag team/env:1 -PackPath \"$app/no-pack-here\"",
            new Dictionary<string, object?> { ["app"] = app });
        Assert.Equal(new[] { "PackNotFound" + FullyQualified }, result.ErrorIds.ToArray());
        Assert.Equal(ErrorCategory.ObjectNotFound, result.Errors[0].CategoryInfo.Category);
        Assert.Contains("buildpacks.io", result.AllText(), StringComparison.Ordinal);

        var caught = ModuleHost.Run("try { Build-RenkuImage $app -Buildpacks -Frontend jupyterlab -Tag team/env:1 -PackPath \"$app/no-pack-here\" } catch { 'caught' }", new Dictionary<string, object?> { ["app"] = app });
        Assert.Equal("caught", Assert.Single(caught.Output).BaseObject);
    }

    [Fact]
    public void OnlyRenkusFrontendsAreAccepted()
    {
        var result = ModuleHost.Run("Build-RenkuImage $app -Buildpacks -Frontend emacs -Tag team/env:1", new Dictionary<string, object?> { ["app"] = app });
        Assert.Contains(result.ErrorIds, id => id.StartsWith("ParameterArgumentValidationError", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void WhatIfDoesNotRunPack()
    {
        Skip.If(OperatingSystem.IsWindows(), "the stand-in pack is a shell script");
        using StandInPack pack = StandInPack.Create();
        var result = ModuleHost.Run("Build-RenkuImage $app -Buildpacks -Frontend jupyterlab -Tag team/env:1 -PackPath $pack -WhatIf", new Dictionary<string, object?> { ["app"] = app, ["pack"] = pack.Executable });
        Assert.Empty(result.ErrorIds);
        Assert.Empty(result.Output);
        Assert.False(File.Exists(pack.ArgumentsFile));
    }

    public void Dispose() => Directory.Delete(app, recursive: true);
}
