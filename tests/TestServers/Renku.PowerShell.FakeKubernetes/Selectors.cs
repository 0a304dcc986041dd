using System.Text.Json.Nodes;

namespace Renku.PowerShell.FakeKubernetes;

/// <summary>Equality label and field selectors (<c>a=b,c==d,e!=f</c>), the forms clients send.</summary>
public static class Selectors
{
    public static Func<JsonObject, bool> Labels(string? selector) => Parse(selector, (o, key) => o["metadata"]?["labels"]?[key]?.GetValue<string>());

    public static Func<JsonObject, bool> Fields(string? selector) => Parse(selector, (o, key) =>
    {
        JsonNode? node = o;
        foreach (string part in key.Split('.'))
        {
            node = node?[part];
        }

        return node?.GetValue<string>();
    });

    private static Func<JsonObject, bool> Parse(string? selector, Func<JsonObject, string, string?> read)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return _ => true;
        }

        var tests = new List<Func<JsonObject, bool>>();
        foreach (string term in selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int neq = term.IndexOf("!=", StringComparison.Ordinal);
            if (neq > 0)
            {
                string key = term[..neq];
                string value = term[(neq + 2)..];
                tests.Add(o => read(o, key) != value);
                continue;
            }

            string[] parts = term.Split(new[] { "==", "=" }, 2, StringSplitOptions.None);
            if (parts.Length == 2)
            {
                string key = parts[0];
                string value = parts[1];
                tests.Add(o => read(o, key) == value);
            }
            else
            {
                string key = term;
                tests.Add(o => read(o, key) is not null);
            }
        }

        return o => tests.All(t => t(o));
    }
}
