using System.Formats.Tar;
using System.Text;

using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Images.Layers;

/// <summary>
/// Reads a few files out of an image's layers without unpacking it. The union view is built
/// top-down (whiteouts and opaque directories hide what is below them), symlinks are followed
/// across layers, and a layer is streamed only until every wanted file is settled.
/// <para>
/// Two kinds of wanted files: "top-down" ones (the user database) are settled by the highest
/// layer that holds or deletes them, so layers are read from the top until each is found;
/// "identity" ones (os-release and friends) are taken from the lowest layers that hold them,
/// read from the base up, because upper layers rarely touch them and the base layer is where
/// they are; that search ends as soon as os-release (followed through its link) is found. A
/// layer read from the top also counts for identity files, so one that changes them there is
/// still seen.
/// </para>
/// </summary>
internal sealed class LayeredFileReader
{
    private const int MaxLinkDepth = 16;
    private const long MaxWantedFileBytes = 1024 * 1024;
    private const long MaxIncidentalFileBytes = 64 * 1024;
    private const int ReadBufferBytes = 1024 * 1024;
    private const long FinishReadingBytes = 1024 * 1024;

    private readonly IReadOnlyList<ImageLayer> layers;
    private readonly Func<int, CancellationToken, Task<Stream>> openLayer;
    private readonly Action<string>? log;
    private readonly LayerRecord?[] records;
    private readonly HashSet<string> watch = new(StringComparer.Ordinal);
    private readonly LayerRecordCache? cache;
    private readonly string? cacheScope;

    /// <param name="layers">The image's layers, base first.</param>
    /// <param name="openLayer">Opens a layer's (compressed) stream.</param>
    /// <param name="log">Verbose diagnostics.</param>
    /// <param name="cache">Records shared with other readers; null reads every layer itself.</param>
    /// <param name="cacheScope">Where the layers come from (the registry host); required with <paramref name="cache"/>.</param>
    internal LayeredFileReader(IReadOnlyList<ImageLayer> layers, Func<int, CancellationToken, Task<Stream>> openLayer, Action<string>? log, LayerRecordCache? cache = null, string? cacheScope = null)
    {
        this.layers = layers;
        this.openLayer = openLayer;
        this.log = log;
        this.cache = cache;
        this.cacheScope = cacheScope;
        if (cache is not null && cacheScope is null)
        {
            throw new ArgumentNullException(nameof(cacheScope));
        }

        records = new LayerRecord?[layers.Count];
    }

    /// <summary>Reads the files; every wanted path gets an <see cref="ImageFile"/> (Exists false when absent).</summary>
    /// <param name="topDownPaths">Files settled by the highest layer that holds or deletes them.</param>
    /// <param name="identityPaths">Files taken from the lowest layer that holds one of <paramref name="identityKeys"/>.</param>
    /// <param name="identityKeys">
    /// The identity files whose discovery ends the search (os-release). The other identity files
    /// are those met in that layer before it: layers written in path order (docker, buildkit,
    /// umoci, kaniko all walk the tree in order) put /etc/debian_version and /etc/lsb-release
    /// before /etc/os-release.
    /// </param>
    internal async Task<IReadOnlyList<ImageFile>> ReadAsync(IReadOnlyList<string> topDownPaths, IReadOnlyList<string> identityPaths, IReadOnlyList<string> identityKeys, CancellationToken ct)
    {
        string[] topDown = topDownPaths.Select(LayerPaths.Normalise).Distinct().ToArray();
        string[] identity = identityPaths.Select(LayerPaths.Normalise).Where(p => !topDown.Contains(p)).Distinct().ToArray();
        string[] keys = identityKeys.Select(LayerPaths.Normalise).Where(identity.Contains).ToArray();
        bool IdentityFound() => keys.Any(p => Resolve(p).Entry is { Kind: LayerEntryKind.File, Content: not null });
        foreach (string path in topDown.Concat(identity))
        {
            watch.Add(path);
        }

        if (layers.Count > 0)
        {
            // Phase 1: from the top down until the top-down files are settled. Reaching the base
            // layer settles everything, so there the identity files are waited for as well.
            int lowestRead = layers.Count;
            for (int index = layers.Count - 1; index >= 0; index--)
            {
                int floor = index;
                string[] needed = index == 0 ? topDown.Concat(identity).ToArray() : topDown;
                if (needed.All(p => IsSettled(p, floor, 0)))
                {
                    break;
                }

                await ScanSharedAsync(index, () => needed.All(p => IsSettled(p, floor, 0)), ct).ConfigureAwait(false);
                lowestRead = index;
            }

            // Phase 2: identity files from the base up, through the layers phase 1 did not reach
            // (and the one it stopped in, which is read again from its start).
            if (!identity.All(p => IsSettled(p, lowestRead, 0)))
            {
                for (int index = 0; index <= Math.Min(lowestRead, layers.Count - 1); index++)
                {
                    if (records[index] is { Complete: true })
                    {
                        continue;
                    }

                    await ScanSharedAsync(index, IdentityFound, ct).ConfigureAwait(false);
                    if (IdentityFound())
                    {
                        break;
                    }
                }
            }
        }

        var files = new List<ImageFile>();
        foreach (string path in topDown.Concat(identity))
        {
            files.Add(await ToImageFileAsync(path, ct).ConfigureAwait(false));
        }

        return files;
    }

    /// <summary>
    /// True when the union view of the layers read so far decides <paramref name="path"/>: the
    /// layers from the top down to <paramref name="floor"/> have been read, and either one of them
    /// holds or hides the path (following links), or nothing is left below.
    /// </summary>
    private bool IsSettled(string path, int floor, int depth)
    {
        if (depth > MaxLinkDepth)
        {
            return true;
        }

        for (int index = layers.Count - 1; index >= floor; index--)
        {
            LayerRecord? record = records[index];
            if (record is null)
            {
                return false;
            }

            if (record.Entries.TryGetValue(path, out LayerEntry? entry))
            {
                if (entry.Kind == LayerEntryKind.Symlink && entry.LinkTarget is not null)
                {
                    string target = LayerPaths.ResolveLink(path, entry.LinkTarget);
                    watch.Add(target);
                    return IsSettled(target, floor, depth + 1);
                }

                return true;
            }

            // An opaque directory hides the layers below, but entries of this layer may still
            // follow it in the stream, so it settles the path only once the layer is complete.
            if (record.WhitesOut(path) || (record.Complete && record.Hides(path)))
            {
                return true;
            }

            if (!record.Complete && index == floor)
            {
                return false;
            }
        }

        return floor == 0 && records[0] is { Complete: true };
    }

    /// <summary>Looks a path up in the union of the layers read so far, following symlinks (also of parent directories).</summary>
    private (string Path, LayerRecord? Layer, LayerEntry? Entry) Resolve(string path, int depth = 0)
    {
        if (depth > MaxLinkDepth)
        {
            return (path, null, null);
        }

        (LayerRecord? layer, LayerEntry? entry) = Lookup(path);
        if (entry is { Kind: LayerEntryKind.Symlink, LinkTarget: not null })
        {
            return Resolve(LayerPaths.ResolveLink(path, entry.LinkTarget), depth + 1);
        }

        if (entry is null)
        {
            // A parent directory may be a link (/lib -> usr/lib on merged-/usr systems).
            foreach (string ancestor in LayerPaths.Ancestors(path))
            {
                (_, LayerEntry? parent) = Lookup(ancestor);
                if (parent is { Kind: LayerEntryKind.Symlink, LinkTarget: not null })
                {
                    string rest = path.Substring(ancestor.Length + 1);
                    return Resolve(LayerPaths.ResolveLink(ancestor, parent.LinkTarget) + "/" + rest, depth + 1);
                }

                if (parent is not null)
                {
                    break;
                }
            }
        }

        return (path, layer, entry);
    }

    private (LayerRecord? Layer, LayerEntry? Entry) Lookup(string path)
    {
        for (int index = layers.Count - 1; index >= 0; index--)
        {
            LayerRecord? record = records[index];
            if (record is null)
            {
                continue;
            }

            if (record.Entries.TryGetValue(path, out LayerEntry? entry))
            {
                return (record, entry);
            }

            if (record.Hides(path))
            {
                return (null, null);
            }
        }

        return (null, null);
    }

    private async Task<ImageFile> ToImageFileAsync(string path, CancellationToken ct)
    {
        (string resolved, LayerRecord? layer, LayerEntry? entry) = Resolve(path);
        if (layer is null || entry is null || entry.Kind != LayerEntryKind.File)
        {
            return new ImageFile { Path = LayerPaths.Absolute(path), ResolvedPath = LayerPaths.Absolute(resolved), Exists = false, LayerIndex = -1 };
        }

        byte[]? content = entry.Content;
        if (content is null && entry.Size <= MaxWantedFileBytes)
        {
            // The file was passed before anyone knew it was wanted (a link found lower down points at it).
            watch.Add(resolved);
            log?.Invoke($"Reading layer {layer.Index} again for {LayerPaths.Absolute(resolved)}.");
            await ScanAsync(layer.Index, () => records[layer.Index]!.Entries.TryGetValue(resolved, out LayerEntry? e) && e.Content is not null, ct).ConfigureAwait(false);
            (resolved, layer, entry) = Resolve(path);
            content = entry?.Content;
        }

        return new ImageFile
        {
            Path = LayerPaths.Absolute(path),
            ResolvedPath = LayerPaths.Absolute(resolved),
            LayerIndex = layer!.Index,
            LayerDigest = layer.Digest,
            LayerVerified = layer.Verified,
            Content = content is null ? string.Empty : Encoding.UTF8.GetString(content),
            Exists = true,
        };
    }

    /// <summary>
    /// Settles one layer from the shared cache when another reader saw enough of it, otherwise
    /// reads it (and shares what was seen). A layer already read by this reader is read again.
    /// </summary>
    private async Task ScanSharedAsync(int index, Func<bool> done, CancellationToken ct)
    {
        if (cache is null || records[index] is not null)
        {
            await ScanAsync(index, done, ct).ConfigureAwait(false);
            return;
        }

        string digest = layers[index].Digest;
        (LayerRecord? known, bool owner) = await cache.AcquireAsync(cacheScope!, digest, index, ct).ConfigureAwait(false);
        if (known is not null)
        {
            records[index] = known;
            log?.Invoke($"Layer {index} ({digest}) was read for an earlier image; reusing what was seen.");
            if (known.Complete || done())
            {
                return;
            }

            // Seen only in part, and not far enough for this image: read it again below (what was seen is kept).
        }

        if (!owner)
        {
            await ScanAsync(index, done, ct).ConfigureAwait(false);
            return;
        }

        LayerRecord? seen = null;
        try
        {
            await ScanAsync(index, done, ct).ConfigureAwait(false);
            seen = records[index];
        }
        finally
        {
            cache.Publish(cacheScope!, digest, seen);
        }
    }

    /// <summary>Streams one layer, recording entries, until <paramref name="done"/> says stop or the tar ends.</summary>
    private async Task ScanAsync(int index, Func<bool> done, CancellationToken ct)
    {
        var record = new LayerRecord(index, layers[index].Digest);
        LayerRecord? previous = records[index];
        records[index] = record;
        Stream raw = await openLayer(index, ct).ConfigureAwait(false);
        await using (raw.ConfigureAwait(false))
        {
            // Large reads from the network and the hash; the decompressor and the tar reader then
            // nibble from memory.
            var buffered = new BufferedStream(raw, ReadBufferBytes);
            (Stream tar, LayerDecompression.Kind kind) = await LayerDecompression.OpenAsync(buffered, ct).ConfigureAwait(false);
            await using (tar.ConfigureAwait(false))
            {
                log?.Invoke($"Reading layer {index} ({layers[index].Digest}, {kind}).");
                try
                {
                    using var reader = new TarReader(new TarMetadataGuard(tar), leaveOpen: true);
                    bool finishing = false;
                    while (true)
                    {
                        TarEntry? entry = await reader.GetNextEntryAsync(copyData: false, ct).ConfigureAwait(false);
                        if (entry is null)
                        {
                            record.Complete = true;
                            break;
                        }

                        bool relevant = await RecordAsync(record, entry, ct).ConfigureAwait(false);
                        if (!finishing && relevant && done())
                        {
                            // When little is left, read on to the end so that the layer is verified.
                            long left = layers[index].Size - raw.Position;
                            if (layers[index].Size < 0 || left > FinishReadingBytes)
                            {
                                break;
                            }

                            finishing = true;
                        }
                    }

                    if (record.Complete)
                    {
                        // Read to the very end so that the digest is checked.
                        await DrainAsync(tar, ct).ConfigureAwait(false);
                        await DrainAsync(buffered, ct).ConfigureAwait(false);
                        record.Verified = raw is VerifyingBlobStream { Verified: true };
                    }
                }
                catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or OverflowException or ZstdSharp.ZstdException || (ex is InvalidOperationException or NotSupportedException or ArgumentException && ThrownByTarReader(ex)))
                {
                    // System.Formats.Tar also refuses some headers with InvalidOperationException (a pax
                    // size larger than its block), NotSupportedException (sparse entries) and
                    // ArgumentOutOfRangeException (a modification time past the calendar's range).
                    throw new RegistryException(RegistryErrorKind.InvalidResponse, $"Layer {index} ({layers[index].Digest}) is not a readable tar ({kind}): {ex.Message}", ex);
                }
            }
        }

        if (previous is not null && !record.Complete)
        {
            records[index] = previous;
            foreach (var pair in record.Entries.Where(p => p.Value.Content is not null))
            {
                previous.Entries[pair.Key] = pair.Value;
            }
        }

    }

    /// <summary>Records one entry; true when it may have settled a wanted path.</summary>
    private async Task<bool> RecordAsync(LayerRecord record, TarEntry entry, CancellationToken ct)
    {
        string path = LayerPaths.Normalise(entry.Name);
        if (path.Length == 0)
        {
            return false;
        }

        string name = LayerPaths.Name(path);
        if (name == ".wh..wh..opq")
        {
            record.OpaqueDirectories.Add(LayerPaths.Parent(path));
            return true;
        }

        if (name.StartsWith(".wh.", StringComparison.Ordinal))
        {
            string parent = LayerPaths.Parent(path);
            string deleted = (parent.Length == 0 ? string.Empty : parent + "/") + name.Substring(4);
            record.Whiteouts.Add(deleted);
            return true;
        }

        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                byte[]? content = null;
                if (ShouldKeep(path, entry.Length) && entry.DataStream is not null)
                {
                    content = await ReadAllAsync(entry.DataStream, entry.Length, ct).ConfigureAwait(false);
                }

                else if (entry.DataStream is not null && entry.Length > MaxIncidentalFileBytes)
                {
                    // Skipping in large reads is much cheaper than the tar reader's small ones.
                    await DrainAsync(entry.DataStream, ct).ConfigureAwait(false);
                }

                record.Entries[path] = new LayerEntry(LayerEntryKind.File, entry.Length, null, content);
                break;
            case TarEntryType.HardLink:
                string linked = LayerPaths.Normalise(entry.LinkName);
                record.Entries[path] = record.Entries.TryGetValue(linked, out LayerEntry? original) && original.Kind == LayerEntryKind.File
                    ? original
                    : new LayerEntry(LayerEntryKind.File, 0, null, null);
                break;
            case TarEntryType.SymbolicLink:
                record.Entries[path] = new LayerEntry(LayerEntryKind.Symlink, 0, entry.LinkName, null);
                if (watch.Contains(path))
                {
                    watch.Add(LayerPaths.ResolveLink(path, entry.LinkName));
                }

                break;
            case TarEntryType.Directory:
                record.Entries[path] = new LayerEntry(LayerEntryKind.Directory, 0, null, null);
                return false;
            default:
                record.Entries[path] = new LayerEntry(LayerEntryKind.Other, 0, null, null);
                break;
        }

        return watch.Contains(path);
    }

    /// <summary>Wanted files and their link targets, and small files in /etc and /usr/lib (a link found lower may point at them).</summary>
    private bool ShouldKeep(string path, long length)
    {
        if (watch.Contains(path))
        {
            return length <= MaxWantedFileBytes;
        }

        string parent = LayerPaths.Parent(path);
        return length <= MaxIncidentalFileBytes && parent is "etc" or "usr/lib";
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream, long length, CancellationToken ct)
    {
        byte[] buffer = new byte[length];
        int filled = 0;
        while (filled < length)
        {
            int read = await stream.ReadAsync(buffer.AsMemory(filled), ct).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled == length ? buffer : buffer.AsSpan(0, filled).ToArray();
    }

    private static async Task DrainAsync(Stream stream, CancellationToken ct)
    {
        byte[] scratch = System.Buffers.ArrayPool<byte>.Shared.Rent(ReadBufferBytes);
        try
        {
            while (await stream.ReadAsync(scratch, ct).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(scratch);
        }
    }

    /// <summary>True when <paramref name="exception"/> was thrown inside System.Formats.Tar (its refusal of a header).</summary>
    private static bool ThrownByTarReader(Exception exception) =>
        new System.Diagnostics.StackTrace(exception, false).GetFrames().Any(frame => frame.GetMethod()?.DeclaringType?.Namespace == "System.Formats.Tar");
}
