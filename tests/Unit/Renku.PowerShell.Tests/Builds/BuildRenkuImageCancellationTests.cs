using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

public class BuildRenkuImageCancellationTests
{
    [SkippableFact]
    public void StoppingThePipelineCancelsTheEngineBuild()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("cancel");
        string token = "cancel-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo {token} && sleep 300\n");
            using var pipeline = new PipelineRunner("Build-RenkuImage $context -DockerHost $dockerHost -Verbose", new Dictionary<string, object?> { ["context"] = context, ["dockerHost"] = host });

            // The RUN step is running in a build container: the step was announced and its output arrived.
            Assert.True(pipeline.WaitFor(() => pipeline.Verbose.Contains(token), TimeSpan.FromSeconds(90)), "The RUN step did not start: " + string.Join(" | ", pipeline.Verbose));
            Assert.True(RunningBuildContainers(token) > 0, "no build container runs the step");

            TimeSpan stopping = pipeline.Stop();
            Assert.True(pipeline.IsCompleted);
            Assert.True(stopping < TimeSpan.FromSeconds(30), $"stopping took {stopping}");

            // The engine stops the build when the client goes away: the step's container is killed.
            DateTime deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (RunningBuildContainers(token) > 0 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(250);
            }

            Assert.Equal(0, RunningBuildContainers(token));
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    /// <summary>
    /// The engine removes a stopped build's container on its own, a moment after the client went
    /// away; the cmdlet waits for that (or removes it) so that nothing is there when it returns.
    /// </summary>
    [SkippableFact]
    public void AStoppedBuildLeavesNoContainerWhenTheCmdletReturns()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("cancel-rm");
        string token = "cancel-rm-" + Guid.NewGuid().ToString("N")[..12];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo {token} && sleep 300\n");
            using var pipeline = new PipelineRunner("Build-RenkuImage $context -DockerHost $dockerHost -Verbose", new Dictionary<string, object?> { ["context"] = context, ["dockerHost"] = host });
            Assert.True(pipeline.WaitFor(() => pipeline.Verbose.Contains(token), TimeSpan.FromSeconds(90)), "The RUN step did not start: " + string.Join(" | ", pipeline.Verbose));

            pipeline.Stop();
            Assert.True(pipeline.IsCompleted);
            Assert.Equal(0, BuildContainers(token, all: true));
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static int BuildContainers(string token, bool all) =>
        DockerDaemon.Cli(TimeSpan.FromSeconds(30), all ? new[] { "ps", "-a", "--no-trunc", "--format", "{{.Command}}" } : new[] { "ps", "--no-trunc", "--format", "{{.Command}}" }).EnsureSuccess("docker ps").StdOut
            .Split('\n').Count(line => line.Contains(token, StringComparison.Ordinal));

    private static int RunningBuildContainers(string token) =>
        DockerDaemon.Cli(TimeSpan.FromSeconds(30), "ps", "--no-trunc", "--format", "{{.Command}}").EnsureSuccess("docker ps").StdOut
            .Split('\n').Count(line => line.Contains(token, StringComparison.Ordinal));
}
