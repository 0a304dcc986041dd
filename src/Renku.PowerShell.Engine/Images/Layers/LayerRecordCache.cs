namespace Renku.PowerShell.Images.Layers;

/// <summary>
/// What earlier scans saw in layers, kept by digest so that images sharing a layer (a common base
/// image) read it once per inspector. Concurrent readers that want the same layer wait for the
/// one already reading it instead of downloading it again.
/// <para>
/// A record read to the end and matched to its digest is shared with every registry; a partial or
/// unverified one only with readers of the same registry, the authority that served it and would
/// serve it again. Readers always get a copy, so nothing they do changes what is cached. The
/// cache is bounded by the number of entries it holds and evicts the least recently used layer.
/// </para>
/// </summary>
internal sealed class LayerRecordCache
{
    /// <summary>Roughly 60 MB of recorded paths: the listings of a dozen large base layers.</summary>
    internal const long DefaultEntryBudget = 400_000;

    private readonly object gate = new();
    private readonly Dictionary<string, LinkedListNode<Slot>> slots = new(StringComparer.Ordinal);
    private readonly LinkedList<Slot> recency = new();
    private readonly Dictionary<string, TaskCompletionSource<LayerRecord?>> inFlight = new(StringComparer.Ordinal);
    private readonly long entryBudget;
    private long entries;
    private int hits;

    internal LayerRecordCache(long entryBudget = DefaultEntryBudget)
    {
        this.entryBudget = entryBudget;
    }

    /// <summary>Layers served from the cache instead of the registry; for tests and diagnostics.</summary>
    internal int Hits => Volatile.Read(ref hits);

    /// <summary>
    /// A copy of what is known about <paramref name="digest"/> as seen from <paramref name="scope"/>
    /// (a registry host), waiting for a reader already scanning it. Null with
    /// <paramref name="owner"/> true when the caller should read the layer and then
    /// <see cref="Publish"/> (always, also on failure); null with owner false when the reader it
    /// waited for found nothing worth keeping.
    /// </summary>
    internal async Task<(LayerRecord? Record, bool Owner)> AcquireAsync(string scope, string digest, int index, CancellationToken ct)
    {
        TaskCompletionSource<LayerRecord?>? pending;
        lock (gate)
        {
            if (TakeLocked(scope, digest, index) is { } known)
            {
                return (known, false);
            }

            if (!inFlight.TryGetValue(digest, out pending))
            {
                inFlight[digest] = new TaskCompletionSource<LayerRecord?>(TaskCreationOptions.RunContinuationsAsynchronously);
                return (null, true);
            }
        }

        await pending.Task.WaitAsync(ct).ConfigureAwait(false);
        lock (gate)
        {
            return (TakeLocked(scope, digest, index), false);
        }
    }

    /// <summary>Ends a read begun by <see cref="AcquireAsync"/>: keeps a copy of the record (if any) and wakes the waiters.</summary>
    internal void Publish(string scope, string digest, LayerRecord? record)
    {
        TaskCompletionSource<LayerRecord?>? done;
        lock (gate)
        {
            if (record is not null)
            {
                LayerRecord kept = record.CopyAs(record.Index);
                StoreLocked(kept.Verified ? Key(null, digest) : Key(scope, digest), kept);
            }

            inFlight.Remove(digest, out done);
        }

        done?.TrySetResult(record);
    }

    /// <summary>A copy at <paramref name="index"/> of the record known for the digest (counted as a hit), or null.</summary>
    private LayerRecord? TakeLocked(string scope, string digest, int index)
    {
        LayerRecord? known = FindLocked(scope, digest);
        if (known is null)
        {
            return null;
        }

        hits++;
        return known.CopyAs(index);
    }

    private LayerRecord? FindLocked(string scope, string digest)
    {
        foreach (string key in new[] { Key(null, digest), Key(scope, digest) })
        {
            if (slots.TryGetValue(key, out LinkedListNode<Slot>? node))
            {
                recency.Remove(node);
                recency.AddFirst(node);
                return node.Value.Record;
            }
        }

        return null;
    }

    private void StoreLocked(string key, LayerRecord record)
    {
        if (slots.TryGetValue(key, out LinkedListNode<Slot>? old))
        {
            // A partial record never replaces a complete one, nor one that saw more.
            if (!record.Complete && (old.Value.Record.Complete || old.Value.Record.Entries.Count > record.Entries.Count))
            {
                return;
            }

            Drop(old);
        }

        long cost = Cost(record);
        if (cost > entryBudget)
        {
            return;
        }

        var node = recency.AddFirst(new Slot(key, record));
        slots[key] = node;
        entries += cost;
        while (entries > entryBudget && recency.Last is { } last)
        {
            Drop(last);
        }
    }

    private void Drop(LinkedListNode<Slot> node)
    {
        recency.Remove(node);
        slots.Remove(node.Value.Key);
        entries -= Cost(node.Value.Record);
    }

    private static long Cost(LayerRecord record) => 1 + record.Entries.Count + record.Whiteouts.Count + record.OpaqueDirectories.Count;

    private static string Key(string? scope, string digest) => scope is null ? digest : scope + "|" + digest;

    private sealed record Slot(string Key, LayerRecord Record);
}
