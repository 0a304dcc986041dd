namespace Renku.PowerShell.Sessions;

/// <summary>
/// Starts an image as a Renku session somewhere (a Docker engine, a Kubernetes cluster), watches
/// it with Renku's readiness semantics and always cleans up. The Session rules judge the result.
/// </summary>
public interface ISessionRuntime
{
    /// <summary>The runtime's name as reported (<c>Docker</c>).</summary>
    string Name { get; }

    /// <summary>Runs the check; progress receives short status lines; cancellation still cleans up.</summary>
    Task<SessionCheck> RunAsync(SessionCheckRequest request, IProgress<string>? progress, CancellationToken cancellationToken);
}
