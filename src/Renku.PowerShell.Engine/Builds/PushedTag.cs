namespace Renku.PowerShell.Builds;

/// <summary>A tag pushed to its registry, and the manifest digest the registry stored.</summary>
public sealed record PushedTag(string Tag, string Digest);
