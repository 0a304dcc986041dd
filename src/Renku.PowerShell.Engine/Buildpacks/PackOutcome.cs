namespace Renku.PowerShell.Buildpacks;

/// <summary>What <c>pack build</c> reported: the image id (local builds) and the digest (published builds).</summary>
public sealed record PackOutcome(string? ImageId, string? Digest);
