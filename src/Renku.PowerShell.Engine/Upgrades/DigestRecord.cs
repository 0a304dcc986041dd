using System.Text.Json;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// A file of tag -> digest pairs, kept between audits to catch "pinned" tags that were pushed
/// again. The first digest seen for a tag stays recorded (a change is reported on every later
/// run until the entry is removed from the file, which accepts the new digest).
/// </summary>
public sealed class DigestRecord
{
    private readonly Dictionary<string, string> entries;
    private readonly object gate = new();

    private DigestRecord(string path, Dictionary<string, string> entries)
    {
        Path = path;
        this.entries = entries;
    }

    public string Path { get; }

    public int Count
    {
        get
        {
            lock (gate)
            {
                return entries.Count;
            }
        }
    }

    /// <summary>Opens a record file, or starts an empty one when the file does not exist yet.</summary>
    public static DigestRecord Open(string path)
    {
        if (!File.Exists(path))
        {
            return new DigestRecord(path, new Dictionary<string, string>(StringComparer.Ordinal));
        }

        try
        {
            var loaded = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path))
                ?? new Dictionary<string, string>();
            return new DigestRecord(path, new Dictionary<string, string>(loaded, StringComparer.Ordinal));
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The digest record '{path}' is not a JSON object of \"image:tag\": \"sha256:...\" pairs: {ex.Message}", ex);
        }
    }

    public string? Get(string key)
    {
        lock (gate)
        {
            return entries.TryGetValue(key, out string? value) ? value : null;
        }
    }

    /// <summary>Records a digest for a tag not recorded yet; a recorded one is kept.</summary>
    public void Observe(string key, string digest)
    {
        lock (gate)
        {
            entries.TryAdd(key, digest);
        }
    }

    public void Save()
    {
        string json;
        lock (gate)
        {
            json = JsonSerializer.Serialize(new SortedDictionary<string, string>(entries, StringComparer.Ordinal), new JsonSerializerOptions { WriteIndented = true });
        }

        string? directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        string temporary = Path + ".tmp";
        File.WriteAllText(temporary, json + Environment.NewLine);
        File.Move(temporary, Path, overwrite: true);
    }
}
