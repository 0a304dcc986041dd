namespace Renku.PowerShell.Builds;

/// <summary>
/// The list of what a build sends (after <c>.dockerignore</c>), made before anything is sent so
/// that its size is known up front; the content itself is read only while streaming.
/// </summary>
internal sealed class BuildContext
{
    public BuildContext(string directory, IReadOnlyList<BuildContextEntry> entries, IReadOnlyList<string>? skippedSockets = null)
    {
        Directory = directory;
        Entries = entries;
        SkippedSockets = skippedSockets ?? Array.Empty<string>();
        FileCount = entries.Count(e => e.Kind is BuildContextEntryKind.File or BuildContextEntryKind.HardLink);
        TotalBytes = entries.Sum(e => e.Size);
    }

    /// <summary>Sockets (and entries of types the platform cannot tell apart) left out, as the docker CLI leaves them out.</summary>
    public IReadOnlyList<string> SkippedSockets { get; }

    public string Directory { get; }

    public IReadOnlyList<BuildContextEntry> Entries { get; }

    public int FileCount { get; }

    public long TotalBytes { get; }

    /// <summary>The biggest top-level entries of the context (a directory counts with all it holds).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> LargestTopLevelEntries(int count)
    {
        var sizes = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (BuildContextEntry entry in Entries)
        {
            int slash = entry.Name.IndexOf('/');
            string top = slash < 0 ? entry.Name : entry.Name.Substring(0, slash + 1);
            sizes[top] = sizes.TryGetValue(top, out long size) ? size + entry.Size : entry.Size;
        }

        return sizes.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Take(count).ToList();
    }
}
