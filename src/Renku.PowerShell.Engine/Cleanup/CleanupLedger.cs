namespace Renku.PowerShell.Cleanup;

/// <summary>
/// What an operation has created outside this process (a container, a volume, a pod) and not yet
/// removed. An entry is written before the create call is sent, so a stop that lands while the
/// call is in flight still knows the name to remove; it is struck when the removal succeeded. The
/// cmdlet that owns the ledger names what is left when the cleanup does not finish in time.
/// </summary>
public sealed class CleanupLedger
{
    /// <summary>
    /// How long the removals of one operation may take together once it is over or stopped. Kept
    /// under the time a stopped cmdlet waits for its cleanup.
    /// </summary>
    public static readonly TimeSpan RemovalTimeout = TimeSpan.FromSeconds(8);

    private readonly object gate = new();
    private readonly List<Entry> entries = new();

    /// <summary>A ledger nobody reads, for callers that do not report leftovers.</summary>
    public static CleanupLedger Untracked => new();

    /// <summary>What is still to be removed, in the order it was created.</summary>
    public IReadOnlyList<string> Outstanding
    {
        get
        {
            lock (gate)
            {
                return entries.Select(e => e.Description).ToArray();
            }
        }
    }

    /// <summary>Records <paramref name="description"/> (what it is, where, how to remove it by hand) until the entry is disposed.</summary>
    public IDisposable Track(string description)
    {
        var entry = new Entry(this, description);
        lock (gate)
        {
            entries.Add(entry);
        }

        return entry;
    }

    private void Strike(Entry entry)
    {
        lock (gate)
        {
            entries.Remove(entry);
        }
    }

    private sealed class Entry : IDisposable
    {
        private readonly CleanupLedger owner;

        internal Entry(CleanupLedger owner, string description)
        {
            this.owner = owner;
            Description = description;
        }

        internal string Description { get; }

        public void Dispose() => owner.Strike(this);
    }
}
