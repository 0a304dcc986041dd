namespace Renku.PowerShell.Upgrades;

/// <summary>What the upgrade audit needs from a registry.</summary>
public interface ITagCatalog
{
    /// <summary>Every tag of the reference's repository (all pages).</summary>
    Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken);

    /// <summary>The manifest digest the reference's tag points at now.</summary>
    Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken);
}
