using Renku.PowerShell.Images;
namespace Renku.PowerShell.Upgrades;

/// <summary>The upgrade audit's view of registries, through the module's registry client.</summary>
public sealed class InspectorTagCatalog : ITagCatalog, IDisposable
{
    private readonly ImageInspector inspector;
    private readonly bool owns;

    public InspectorTagCatalog(ImageInspector inspector, bool ownsInspector = false)
    {
        this.inspector = inspector;
        owns = ownsInspector;
    }

    public void Dispose()
    {
        if (owns)
        {
            inspector.Dispose();
        }
    }

    public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken)
    {
        IReadOnlyList<ImageTag> tags = await inspector.ListTagsAsync(repository, cancellationToken).ConfigureAwait(false);
        return tags.Select(t => t.Name).ToList();
    }

    public Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken) =>
        inspector.ResolveDigestAsync(reference, cancellationToken);

    public Task<IReadOnlyList<string>> ResolveManifestDigestsAsync(ImageReference reference, CancellationToken cancellationToken) =>
        inspector.ResolveManifestDigestsAsync(reference, cancellationToken);
}
