namespace Renku.PowerShell;

/// <summary>The parts of an image's config (OCI image config <c>config</c> object) Renku cares about.</summary>
public sealed class ImageConfiguration
{
    public string? User { get; init; }

    public string? WorkingDir { get; init; }

    public IReadOnlyList<string>? Entrypoint { get; init; }

    public IReadOnlyList<string>? Cmd { get; init; }

    public IReadOnlyList<string> Env { get; init; } = Array.Empty<string>();

    /// <summary>Exposed ports as written in the config (<c>8888/tcp</c>).</summary>
    public IReadOnlyList<string> ExposedPorts { get; init; } = Array.Empty<string>();

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<string> Volumes { get; init; } = Array.Empty<string>();

    /// <summary>The value of an environment variable set in the image, or null.</summary>
    public string? GetEnv(string name)
    {
        string prefix = name + "=";
        string? entry = Env.LastOrDefault(e => e.StartsWith(prefix, StringComparison.Ordinal));
        return entry?.Substring(prefix.Length);
    }
}
