using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Docker;
using Renku.PowerShell.Sessions.Docker;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Builds;

/// <summary>
/// The verification step between a build and its push: checks the image just built in the engine
/// against Renku's rules (what Test-RenkuImageCompliance does), statically and by starting it as a
/// session, together with the Dockerfile it was built from.
/// </summary>
public static class BuildVerifier
{
    /// <param name="settings">The environment's settings the image is started and judged under (those of Test-RenkuImageCompliance).</param>
    /// <param name="probeTimeout">The longest the session check waits for readiness.</param>
    /// <param name="ledger">Where the session check records its container and volume until they are removed.</param>
    /// <param name="kind">Job runs the image's command to completion (as for non-interactive launchers); null checks it as an interactive session.</param>
    public static async Task<ComplianceReport> VerifyAsync(string image, string dockerfilePath, IReadOnlyDictionary<string, string> buildArgs, CompliancePolicy policy, SessionSettings settings, TimeSpan probeTimeout, string? dockerHost, CleanupLedger ledger, Action<BuildEvent> sink, CancellationToken cancellationToken, SessionKind? kind = null)
    {
        var job = new ComplianceJob
        {
            Kind = kind ?? SessionKind.Interactive,
            Image = image,
            Source = ComplianceImageSource.Docker,
            Settings = settings,
            ProbeTimeout = probeTimeout,
            Dockerfile = DockerfileDocument.Load(dockerfilePath, buildArgs),
            Policy = policy,
            Runtime = new DockerSessionRunner(dockerHost),
            DockerHost = dockerHost,
            Ledger = ledger,
        };
        sink(BuildEvent.StepStarted(0, 0, "Verifying " + image + " against Renku's rules"));
        try
        {
            // The image is read from the engine; the inspector only serves registry-side rules.
            using var inspector = new ImageInspector();
            return await new ComplianceRunner(inspector).CheckAsync(job, new SinkProgress(sink), cancellationToken).ConfigureAwait(false);
        }
        catch (DockerEngineException ex)
        {
            throw new ImageBuildException(ex.Unreachable ? ImageBuildFailure.EngineUnavailable : ImageBuildFailure.BuildFailed, "Verifying the built image failed: " + ex.Message, innerException: ex);
        }
    }

    private sealed class SinkProgress : IProgress<string>
    {
        private readonly Action<BuildEvent> sink;

        public SinkProgress(Action<BuildEvent> sink)
        {
            this.sink = sink;
        }

        public void Report(string value) => sink(BuildEvent.Output(value));
    }
}
