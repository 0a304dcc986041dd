namespace Renku.PowerShell.Upgrades;

/// <summary>What the upgrade audit needs from a registry.</summary>
public interface ITagCatalog
{
    /// <summary>Every tag of the reference's repository (all pages).</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken);

    /// <summary>The manifest digest the reference's tag points at now.</summary>
    Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken);

    /// <summary>
    /// The digest the reference's tag points at first, then, when that is an index, the digests
    /// of the platform images it holds.
    /// </summary>
    Task<IReadOnlyList<string>> ResolveManifestDigestsAsync(ImageReference reference, CancellationToken cancellationToken);
}
