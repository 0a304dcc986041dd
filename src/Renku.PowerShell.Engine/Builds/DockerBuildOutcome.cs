namespace Renku.PowerShell.Builds;

/// <summary>What a Docker engine build produced.</summary>
public sealed record DockerBuildOutcome(string ImageId, IReadOnlyList<string> Tags, long ContextBytes, int ContextFiles);
