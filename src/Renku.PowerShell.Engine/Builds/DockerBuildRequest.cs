using Renku.PowerShell.Cleanup;

namespace Renku.PowerShell.Builds;

/// <summary>What to build with a Docker engine (the cmdlet's parameters, validated).</summary>
public sealed class DockerBuildRequest
{
    public DockerBuildRequest(string contextDirectory)
    {
        ContextDirectory = contextDirectory;
    }

    /// <summary>The build context directory (full path).</summary>
    public string ContextDirectory { get; }

    /// <summary>The Dockerfile (full path); null means <c>Dockerfile</c> in the context.</summary>
    public string? DockerfilePath { get; init; }

    /// <summary>Full image names to tag the result with.</summary>
    public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public string? Target { get; init; }

    public string? Platform { get; init; }

    public bool NoCache { get; init; }

    /// <summary>Always pull newer base images.</summary>
    public bool Pull { get; init; }

    /// <summary>Above this many bytes of context a warning names the biggest entries.</summary>
    public long ContextWarningBytes { get; init; } = 512L * 1024 * 1024;

    /// <summary>Where the engine's intermediate containers of this build are recorded until they are gone.</summary>
    public CleanupLedger Ledger { get; init; } = CleanupLedger.Untracked;
}
