using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>
/// The server's objects, one resourceVersion counter for all of them (as etcd has), a bounded
/// history of changes for watches that resume from a resourceVersion, and the open watches.
/// </summary>
public sealed class ObjectStore
{
    private const int HistoryLimit = 2000;

    private readonly object gate = new();
    private readonly Dictionary<(string Resource, string Namespace, string Name), JsonObject> objects = new();
    private readonly List<Change> history = new();
    private readonly List<Watcher> watchers = new();
    private long resourceVersion = 1000;

    /// <summary>The oldest resourceVersion a watch can resume from; older ones get 410.</summary>
    public long OldestWatchableVersion { get; private set; } = 1000;

    public long CurrentVersion
    {
        get
        {
            lock (gate)
            {
                return resourceVersion;
            }
        }
    }

    public JsonObject? Get(string resource, string ns, string name)
    {
        lock (gate)
        {
            return objects.TryGetValue((resource, ns, name), out JsonObject? o) ? (JsonObject)o.DeepClone() : null;
        }
    }

    /// <summary>A consistent snapshot, sorted by name, and the version it was taken at.</summary>
    public (List<JsonObject> Items, long Version) List(string resource, string ns, Func<JsonObject, bool> filter)
    {
        var (items, version, _) = Page(resource, ns, filter, after: null, limit: int.MaxValue);
        return (items, version);
    }

    /// <summary>
    /// One page of a list: up to <paramref name="limit"/> objects named after <paramref name="after"/>,
    /// how many more there are, and the version. Only the page is copied.
    /// </summary>
    public (List<JsonObject> Items, long Version, int Remaining) Page(string resource, string ns, Func<JsonObject, bool> filter, string? after, int limit)
    {
        lock (gate)
        {
            var matching = objects.Where(p => p.Key.Resource == resource && p.Key.Namespace == ns && (after is null || string.CompareOrdinal(p.Key.Name, after) > 0))
                .OrderBy(p => p.Key.Name, StringComparer.Ordinal)
                .Select(p => p.Value)
                .Where(filter)
                .ToList();
            var page = matching.Take(limit).Select(o => (JsonObject)o.DeepClone()).ToList();
            return (page, resourceVersion, matching.Count - page.Count);
        }
    }

    /// <summary>Adds an object; false when the name is taken.</summary>
    public bool TryAdd(string resource, string ns, JsonObject obj, out JsonObject stored)
    {
        lock (gate)
        {
            string name = Name(obj);
            if (objects.ContainsKey((resource, ns, name)))
            {
                stored = objects[(resource, ns, name)];
                return false;
            }

            var metadata = obj["metadata"] as JsonObject ?? new JsonObject();
            obj["metadata"] = metadata;
            metadata["namespace"] = ns;
            metadata["uid"] ??= Guid.NewGuid().ToString();
            metadata["creationTimestamp"] ??= DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            metadata["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
            objects[(resource, ns, name)] = obj;
            Publish(resource, ns, "ADDED", obj);
            stored = (JsonObject)obj.DeepClone();
            return true;
        }
    }

    /// <summary>Changes an object in place and tells the watches; false when it is gone.</summary>
    public bool Update(string resource, string ns, string name, Action<JsonObject> change)
    {
        lock (gate)
        {
            if (!objects.TryGetValue((resource, ns, name), out JsonObject? obj))
            {
                return false;
            }

            change(obj);
            obj["metadata"]!["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
            Publish(resource, ns, "MODIFIED", obj);
            return true;
        }
    }

    public JsonObject? Delete(string resource, string ns, string name)
    {
        lock (gate)
        {
            if (!objects.Remove((resource, ns, name), out JsonObject? obj))
            {
                return null;
            }

            obj["metadata"]!["resourceVersion"] = (++resourceVersion).ToString(CultureInfo.InvariantCulture);
            Publish(resource, ns, "DELETED", obj);
            return (JsonObject)obj.DeepClone();
        }
    }

    /// <summary>Forgets the change history, so watches from an older version get 410 Gone.</summary>
    public void Compact()
    {
        lock (gate)
        {
            history.Clear();
            OldestWatchableVersion = resourceVersion;
        }
    }

    /// <summary>
    /// Opens a watch. From <paramref name="fromVersion"/>: replays later changes, or null when that
    /// version is compacted away. Without it: ADDED for every current object first.
    /// </summary>
    public ChannelReader<string>? Watch(string resource, string ns, Func<JsonObject, bool> filter, long? fromVersion, CancellationToken stop)
    {
        var channel = Channel.CreateUnbounded<string>();
        lock (gate)
        {
            if (fromVersion is { } from && from != 0)
            {
                if (from < OldestWatchableVersion)
                {
                    return null;
                }

                foreach (Change change in history.Where(c => c.Version > from && c.Resource == resource && c.Namespace == ns && filter(c.Object)))
                {
                    channel.Writer.TryWrite(Line(change.Type, change.Object));
                }
            }
            else
            {
                foreach (var pair in objects.Where(p => p.Key.Resource == resource && p.Key.Namespace == ns).OrderBy(p => p.Key.Name, StringComparer.Ordinal))
                {
                    if (filter(pair.Value))
                    {
                        channel.Writer.TryWrite(Line("ADDED", pair.Value));
                    }
                }
            }

            var watcher = new Watcher(resource, ns, filter, channel.Writer);
            watchers.Add(watcher);
            stop.Register(() =>
            {
                lock (gate)
                {
                    watchers.Remove(watcher);
                }

                channel.Writer.TryComplete();
            });
        }

        return channel.Reader;
    }

    public int OpenWatches
    {
        get
        {
            lock (gate)
            {
                return watchers.Count;
            }
        }
    }

    public static string Name(JsonObject obj) => obj["metadata"]?["name"]?.GetValue<string>() ?? string.Empty;

    public static string Line(string type, JsonObject obj) =>
        new JsonObject { ["type"] = type, ["object"] = obj.DeepClone() }.ToJsonString();

    private void Publish(string resource, string ns, string type, JsonObject obj)
    {
        var snapshot = (JsonObject)obj.DeepClone();
        history.Add(new Change(long.Parse(obj["metadata"]!["resourceVersion"]!.GetValue<string>(), CultureInfo.InvariantCulture), resource, ns, type, snapshot));
        if (history.Count > HistoryLimit)
        {
            OldestWatchableVersion = history[0].Version;
            history.RemoveAt(0);
        }

        foreach (Watcher watcher in watchers.Where(w => w.Resource == resource && w.Namespace == ns && w.Filter(snapshot)))
        {
            watcher.Writer.TryWrite(Line(type, snapshot));
        }
    }

    private sealed record Change(long Version, string Resource, string Namespace, string Type, JsonObject Object);

    private sealed record Watcher(string Resource, string Namespace, Func<JsonObject, bool> Filter, ChannelWriter<string> Writer);
}
