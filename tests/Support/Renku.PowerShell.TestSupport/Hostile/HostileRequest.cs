namespace Renku.PowerShell.TestSupport.Hostile;

/// <summary>One request as a <see cref="HostileHttpServer"/> received it, headers and body included (to prove what was, or was not, sent).</summary>
public sealed record HostileRequest(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The path without the query.</summary>
    public string Path => Target.Split('?')[0];

    public string? Header(string name) => Headers.TryGetValue(name, out string? value) ? value : null;
}
