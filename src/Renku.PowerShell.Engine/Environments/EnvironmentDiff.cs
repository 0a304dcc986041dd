using System.Text.Json.Nodes;

namespace Renku.PowerShell.Environments;

/// <summary>Field-by-field comparison of a current environment and desired values, and the PATCH body that closes the gap.</summary>
public static class EnvironmentDiff
{
    /// <summary>The fields of <paramref name="desired"/> whose value differs from <paramref name="current"/>.</summary>
    public static IReadOnlyList<EnvironmentFieldChange> Compare(GlobalEnvironment current, IEnumerable<KeyValuePair<string, object?>> desired)
    {
        var wanted = desired.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);
        var changes = new List<EnvironmentFieldChange>();
        foreach (string field in EnvironmentFields.All)
        {
            if (!wanted.TryGetValue(field, out object? value))
            {
                continue;
            }

            object? old = EnvironmentSpec.Get(current, field);
            if (!Same(field, old, value))
            {
                changes.Add(new EnvironmentFieldChange(field, old, Normalise(field, value)));
            }
        }

        return changes;
    }

    /// <summary>Every field of a complete desired environment compared with the current one.</summary>
    public static IReadOnlyList<EnvironmentFieldChange> Compare(GlobalEnvironment current, EnvironmentSpec desired) =>
        Compare(current, EnvironmentFields.All.Select(f => new KeyValuePair<string, object?>(f, desired.Get(f))));

    /// <summary>
    /// The PATCH body for <paramref name="changes"/>, following the API's clearing rules: an empty
    /// string clears a directory or the description, an explicit null clears command or args.
    /// </summary>
    public static JsonObject PatchBody(IEnumerable<EnvironmentFieldChange> changes)
    {
        var body = new JsonObject();
        foreach (var change in changes)
        {
            body[change.Field] = change.Field switch
            {
                EnvironmentFields.WorkingDirectory or EnvironmentFields.MountDirectory or EnvironmentFields.Description => JsonValue.Create((string?)change.NewValue ?? string.Empty),
                EnvironmentFields.Command or EnvironmentFields.Args => change.NewValue is string[] items ? new JsonArray(items.Select(i => (JsonNode?)JsonValue.Create(i)).ToArray()) : null,
                EnvironmentFields.Port or EnvironmentFields.Uid or EnvironmentFields.Gid => JsonValue.Create((int)change.NewValue!),
                EnvironmentFields.StripPathPrefix or EnvironmentFields.IsArchived => JsonValue.Create((bool)change.NewValue!),
                _ => JsonValue.Create((string?)change.NewValue),
            };
        }

        return body;
    }

    private static object? Normalise(string field, object? value) => field switch
    {
        EnvironmentFields.WorkingDirectory or EnvironmentFields.MountDirectory or EnvironmentFields.Description => string.IsNullOrEmpty(value as string) ? null : value,
        EnvironmentFields.Command or EnvironmentFields.Args => value is string[] { Length: > 0 } ? value : null,
        _ => value,
    };

    private static bool Same(string field, object? old, object? value)
    {
        old = Normalise(field, old);
        value = Normalise(field, value);
        if (old is string[] a && value is string[] b)
        {
            return a.SequenceEqual(b, StringComparer.Ordinal);
        }

        return Equals(old, value);
    }
}
