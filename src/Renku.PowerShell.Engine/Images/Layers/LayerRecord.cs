namespace Renku.PowerShell.Images.Layers;

/// <summary>What one scan of one layer saw: entries by path, whiteouts and opaque directories.</summary>
internal sealed class LayerRecord
{
    internal LayerRecord(int index, string digest)
    {
        Index = index;
        Digest = digest;
    }

    internal int Index { get; }

    internal string Digest { get; }

    /// <summary>True when the tar was read to its end (every entry of the layer is recorded).</summary>
    internal bool Complete { get; set; }

    /// <summary>True when the layer was read to its end and matched its digest.</summary>
    internal bool Verified { get; set; }

    internal Dictionary<string, LayerEntry> Entries { get; } = new(StringComparer.Ordinal);

    /// <summary>Paths a <c>.wh.</c> file deletes from the layers below.</summary>
    internal HashSet<string> Whiteouts { get; } = new(StringComparer.Ordinal);

    /// <summary>Directories whose lower-layer content a <c>.wh..wh..opq</c> file hides.</summary>
    internal HashSet<string> OpaqueDirectories { get; } = new(StringComparer.Ordinal);

    /// <summary>An independent copy standing at <paramref name="index"/> (the same layer may sit at another height in another image).</summary>
    internal LayerRecord CopyAs(int index)
    {
        var copy = new LayerRecord(index, Digest) { Complete = Complete, Verified = Verified };
        foreach (KeyValuePair<string, LayerEntry> pair in Entries)
        {
            copy.Entries.Add(pair.Key, pair.Value);
        }

        copy.Whiteouts.UnionWith(Whiteouts);
        copy.OpaqueDirectories.UnionWith(OpaqueDirectories);
        return copy;
    }

    /// <summary>True when a whiteout of this layer deletes <paramref name="path"/> or one of its parents.</summary>
    internal bool WhitesOut(string path) => Whiteouts.Contains(path) || LayerPaths.Ancestors(path).Any(Whiteouts.Contains);

    /// <summary>True when this layer hides <paramref name="path"/> of the layers below it.</summary>
    internal bool Hides(string path)
    {
        if (Whiteouts.Contains(path))
        {
            return true;
        }

        foreach (string ancestor in LayerPaths.Ancestors(path))
        {
            if (Whiteouts.Contains(ancestor) || OpaqueDirectories.Contains(ancestor))
            {
                return true;
            }
        }

        return false;
    }
}

internal enum LayerEntryKind
{
    File,
    Directory,
    Symlink,
    Other,
}

/// <summary>One tar entry; <see cref="Content"/> is kept for the small files worth keeping.</summary>
internal sealed record LayerEntry(LayerEntryKind Kind, long Size, string? LinkTarget, byte[]? Content);
