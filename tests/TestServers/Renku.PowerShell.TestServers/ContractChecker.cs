using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using NJsonSchema;

namespace Renku.PowerShell.TestServers;

/// <summary>
/// Checks requests and responses against the data service's OpenAPI specs (session_api.spec.yaml,
/// users_api.spec.yaml, notebooks_api.spec.yaml, crc_api.spec.yaml): the operation must exist, request bodies and path parameters must match
/// the request schemas, response bodies the response schema of their status. OpenAPI 3.0 schemas
/// become JSON Schema here: <c>allOf</c> parts are merged the way the service's generated models
/// merge them, <c>nullable</c> becomes a null type, component references become definitions.
/// </summary>
public sealed class ContractChecker
{
    private static readonly Regex UlidPattern = new("^[0-7][0-9A-HJKMNP-TV-Z]{25}$", RegexOptions.CultureInvariant);
    private static readonly ConcurrentDictionary<string, ContractChecker> Loaded = new();

    private readonly List<Spec> specs = new();

    // The service validates request bodies with generated models in which every optional field may
    // be null (that is how PATCH clears command/args with an explicit null although the schema's
    // array type has no null), so request bodies are checked with optional properties nullable.
    private readonly List<Spec> requestSpecs = new();
    private readonly ConcurrentDictionary<string, JsonSchema> compiled = new();
    private readonly ConcurrentQueue<string> violations = new();
    private int requestsChecked;
    private int responsesChecked;

    private ContractChecker(string specDirectory)
    {
        foreach (string file in new[] { "session_api.spec.yaml", "users_api.spec.yaml", "notebooks_api.spec.yaml", "crc_api.spec.yaml" })
        {
            string path = Path.Combine(specDirectory, file);
            JsonObject root = YamlToJson.Read(path);
            if (!((string?)root["openapi"] ?? string.Empty).StartsWith("3.0", StringComparison.Ordinal) || root["paths"] is not JsonObject || root["components"]?["schemas"] is not JsonObject)
            {
                throw new InvalidOperationException($"{path} is not an OpenAPI 3.0 document with paths and component schemas.");
            }

            specs.Add(new Spec(file, root, nullableOptionals: false));
            requestSpecs.Add(new Spec(file, root, nullableOptionals: true));
        }
    }

    public IReadOnlyList<string> Violations => violations.ToList();

    public int RequestsChecked => Volatile.Read(ref requestsChecked);

    public int ResponsesChecked => Volatile.Read(ref responsesChecked);

    /// <summary>The checker for the specs in <paramref name="specDirectory"/> (default: ../shared/renku/api beside the repository).</summary>
    public static ContractChecker Load(string? specDirectory = null)
    {
        string directory = specDirectory ?? FindSpecDirectory();
        return new ContractChecker(directory);
    }

    /// <summary>A fresh checker sharing the parsed specs and compiled schemas of an earlier one.</summary>
    internal static ContractChecker Shared(string? specDirectory)
    {
        string directory = Path.GetFullPath(specDirectory ?? FindSpecDirectory());
        ContractChecker template = Loaded.GetOrAdd(directory, d => new ContractChecker(d));
        return new ContractChecker(template);
    }

    public static string FindSpecDirectory()
    {
        string? configured = Environment.GetEnvironmentVariable("RENKU_API_SPEC_DIR");
        if (!string.IsNullOrEmpty(configured))
        {
            return configured;
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (string? dir = start; dir is not null; dir = Path.GetDirectoryName(dir))
            {
                if (File.Exists(Path.Combine(dir, "Renku.PowerShell.sln")))
                {
                    string candidate = Path.GetFullPath(Path.Combine(dir, "..", "shared", "renku", "api"));
                    if (Directory.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
        }

        throw new DirectoryNotFoundException("The Renku OpenAPI specs were not found (../shared/renku/api beside the repository); set RENKU_API_SPEC_DIR.");
    }

    public static bool IsUlid(string id) => UlidPattern.IsMatch(id);

    /// <summary>The first error of <paramref name="value"/> against the named component schema, or null when it conforms.</summary>
    public string? FirstSchemaError(string componentSchema, JsonNode value)
    {
        Spec spec = requestSpecs.First(s => s.Root["components"]?["schemas"]?[componentSchema] is not null);
        var errors = Validate(spec, new JsonObject { ["$ref"] = "#/components/schemas/" + componentSchema }, value.ToJsonString());
        return errors.Count == 0 ? null : $"Validation error: {errors[0]}";
    }

    /// <summary>All errors of <paramref name="json"/> against the named component schema of either spec.</summary>
    public IReadOnlyList<string> ValidateComponent(string componentSchema, string json)
    {
        Spec spec = specs.First(s => s.Root["components"]?["schemas"]?[componentSchema] is not null);
        return Validate(spec, new JsonObject { ["$ref"] = "#/components/schemas/" + componentSchema }, json);
    }

    /// <summary>Checks one exchange and records every way it departs from the spec.</summary>
    public void Check(string method, string path, string? requestBody, int status, string? responseBody)
    {
        string what = $"{method} {path} -> {status}";
        (Spec spec, JsonObject operation, Dictionary<string, string> pathValues)? found = FindOperation(method.ToLowerInvariant(), path);
        if (found is null)
        {
            violations.Enqueue($"{what}: no such operation in the spec.");
            return;
        }

        (Spec spec, JsonObject operation, Dictionary<string, string> values) = found.Value;
        foreach (JsonNode? parameter in operation["parameters"]?.AsArray() ?? new JsonArray())
        {
            JsonNode? resolved = Resolve(spec, parameter);
            if ((string?)resolved?["in"] == "path" && values.TryGetValue((string)resolved["name"]!, out string? value) && resolved["schema"] is JsonNode schema)
            {
                // A path is text: a parameter of integer type is judged as the number it reads as (crc's pool ids).
                JsonNode typed = (string?)Resolve(spec, schema)?["type"] == "integer" && long.TryParse(value, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out long number)
                    ? JsonValue.Create(number)
                    : JsonValue.Create(value)!;
                Report(what + " path parameter " + resolved["name"], Validate(spec, schema, typed.ToJsonString()));
            }
        }

        JsonNode? requestSchema = Resolve(spec, operation["requestBody"])?["content"]?["application/json"]?["schema"];
        if (requestSchema is not null && !string.IsNullOrEmpty(requestBody))
        {
            Interlocked.Increment(ref requestsChecked);
            Report(what + " request body", Validate(requestSpecs[specs.IndexOf(spec)], requestSchema, requestBody));
        }

        JsonObject responses = operation["responses"]!.AsObject();
        JsonNode? response = Resolve(spec, responses[status.ToString(System.Globalization.CultureInfo.InvariantCulture)] ?? responses["default"]);
        if (response is null)
        {
            violations.Enqueue($"{what}: the spec declares no response for this status.");
            return;
        }

        JsonNode? responseSchema = response["content"]?["application/json"]?["schema"];
        if (responseSchema is null)
        {
            if (!string.IsNullOrEmpty(responseBody))
            {
                violations.Enqueue($"{what}: the spec declares no body, the response has one.");
            }

            return;
        }

        Interlocked.Increment(ref responsesChecked);
        Report(what + " response body", string.IsNullOrEmpty(responseBody) ? new[] { "the body is empty" } : Validate(spec, responseSchema, responseBody));
    }

    private ContractChecker(ContractChecker template)
    {
        specs = template.specs;
        requestSpecs = template.requestSpecs;
        compiled = template.compiled;
    }

    internal void Broken(string message) => violations.Enqueue(message);

    private void Report(string what, IReadOnlyList<string> errors)
    {
        foreach (string error in errors)
        {
            violations.Enqueue($"{what}: {error}");
        }
    }

    private (Spec, JsonObject, Dictionary<string, string>)? FindOperation(string method, string path)
    {
        // Literal paths win over templated ones (/sessions/images before /sessions/{session_id}), as OpenAPI says.
        var candidates = specs.SelectMany(spec => spec.Root["paths"]!.AsObject().Select(p => (Spec: spec, Template: p.Key, Item: p.Value)))
            .OrderBy(c => c.Template.Count(ch => ch == '{'));
        foreach (var (spec, template, item) in candidates)
        {
            var names = new List<string>();
            string pattern = "^" + Regex.Replace(Regex.Escape(template), @"\\\{([^}]+)}", m =>
            {
                names.Add(m.Groups[1].Value);
                return "([^/]+)";
            }) + "$";
            Match match = Regex.Match(path, pattern);
            if (!match.Success || item?[method] is not JsonObject operation)
            {
                continue;
            }

            var values = names.Select((n, i) => (n, match.Groups[i + 1].Value)).ToDictionary(p => p.n, p => Uri.UnescapeDataString(p.Value));
            if (item["parameters"] is JsonArray shared)
            {
                operation = (JsonObject)operation.DeepClone();
                var merged = operation["parameters"] as JsonArray ?? new JsonArray();
                foreach (JsonNode? p in shared)
                {
                    merged.Add(p?.DeepClone());
                }

                operation["parameters"] = merged;
            }

            return (spec, operation, values);
        }

        return null;
    }

    private static JsonNode? Resolve(Spec spec, JsonNode? node)
    {
        for (int depth = 0; depth < 10 && node is JsonObject o && o["$ref"] is JsonValue reference; depth++)
        {
            string[] parts = ((string)reference!).TrimStart('#', '/').Split('/');
            node = spec.Root;
            foreach (string part in parts)
            {
                node = node?[part];
            }
        }

        return node;
    }

    private IReadOnlyList<string> Validate(Spec spec, JsonNode schemaNode, string json)
    {
        string key = spec.Name + "|" + spec.NullableOptionals + "|" + schemaNode.ToJsonString();
        JsonSchema schema = compiled.GetOrAdd(key, _ =>
        {
            // The schema sits under allOf so that a top-level $ref resolves against a root that keeps its definitions.
            var document = new JsonObject { ["allOf"] = new JsonArray(spec.Convert(schemaNode)), ["definitions"] = spec.Definitions() };
            return JsonSchema.FromJsonAsync(document.ToJsonString()).GetAwaiter().GetResult();
        });

        return schema.Validate(json).SelectMany(Flatten).ToList();
    }

    /// <summary>
    /// True for a length error that only UTF-16 counting makes: JSON Schema counts a string's
    /// characters as RFC 8259 does (code points), and so does the data service (Pydantic, Python's
    /// len), but NJsonSchema counts UTF-16 units, which would refuse 99 emoji as 198.
    /// </summary>
    private static bool IsUtf16Miscount(NJsonSchema.Validation.ValidationError error)
    {
        if (error.Kind is not (NJsonSchema.Validation.ValidationErrorKind.StringTooLong or NJsonSchema.Validation.ValidationErrorKind.StringTooShort)
            || error.Token?.Type != Newtonsoft.Json.Linq.JTokenType.String)
        {
            return false;
        }

        string text = (string)error.Token!;
        int codePoints = text.EnumerateRunes().Count();
        return codePoints <= (error.Schema.MaxLength ?? int.MaxValue) && codePoints >= (error.Schema.MinLength ?? 0);
    }

    private static IEnumerable<string> Flatten(NJsonSchema.Validation.ValidationError error)
    {
        if (IsUtf16Miscount(error))
        {
            return Array.Empty<string>();
        }

        string here = $"{(string.IsNullOrEmpty(error.Path) ? "#" : error.Path)}: {error.Kind}";
        if (error is NJsonSchema.Validation.ChildSchemaValidationError child && child.Errors.Count > 0)
        {
            // A parent error (an array item, a branch) whose every cause is a UTF-16 miscount is no error either.
            var causes = child.Errors.Select(b => b.Value.SelectMany(Flatten).ToList()).ToList();
            if (causes.All(c => c.Count == 0))
            {
                return Array.Empty<string>();
            }

            string branches = string.Join(" | ", causes.Select(c => string.Join(", ", c)));
            return new[] { here + " (" + branches + ")" };
        }

        return new[] { here };
    }

    private sealed class Spec
    {
        private readonly Dictionary<string, JsonObject> converted = new(StringComparer.Ordinal);
        private JsonObject? definitions;

        public Spec(string name, JsonObject root, bool nullableOptionals)
        {
            Name = name;
            Root = root;
            NullableOptionals = nullableOptionals;
        }

        public bool NullableOptionals { get; }

        public string Name { get; }

        public JsonObject Root { get; }

        public JsonObject Definitions()
        {
            lock (converted)
            {
                if (definitions is null)
                {
                    var all = new JsonObject();
                    foreach (var (name, _) in Root["components"]!["schemas"]!.AsObject())
                    {
                        all[name] = Component(name).DeepClone();
                    }

                    definitions = all;
                }

                return (JsonObject)definitions.DeepClone();
            }
        }

        public JsonNode Convert(JsonNode node)
        {
            lock (converted)
            {
                return ConvertNode(node);
            }
        }

        private JsonObject Component(string name)
        {
            if (!converted.TryGetValue(name, out JsonObject? result))
            {
                result = (JsonObject)ConvertNode(Root["components"]!["schemas"]![name]!);
                converted[name] = result;
            }

            return result;
        }

        private JsonNode ConvertNode(JsonNode node)
        {
            if (node is JsonArray array)
            {
                return new JsonArray(array.Select(i => i is null ? null : ConvertNode(i)).ToArray());
            }

            if (node is not JsonObject source)
            {
                return node.DeepClone();
            }

            var result = new JsonObject();
            if (source["allOf"] is JsonArray parts)
            {
                foreach (JsonNode? part in parts)
                {
                    if (part is JsonObject p)
                    {
                        Merge(result, Inline(p));
                    }
                }
            }

            foreach (var (key, value) in source)
            {
                // An OpenAPI discriminator is no JSON Schema keyword (its mapping names components, which
                // the schema reader would try to resolve): oneOf alone decides, as it does for the service.
                if (key is "allOf" or "discriminator" || value is null)
                {
                    continue;
                }

                JsonNode converted = key switch
                {
                    "$ref" => JsonValue.Create(((string)value!).Replace("#/components/schemas/", "#/definitions/", StringComparison.Ordinal))!,
                    "properties" => new JsonObject(value.AsObject().Select(p => new KeyValuePair<string, JsonNode?>(p.Key, p.Value is null ? null : ConvertNode(p.Value)))),
                    "example" or "default" or "enum" => value.DeepClone(),
                    _ => value is JsonObject or JsonArray ? ConvertNode(value) : value.DeepClone(),
                };
                if (key is "properties" or "required" && result[key] is not null)
                {
                    Merge(result, new JsonObject { [key] = converted });
                }
                else
                {
                    result[key] = converted;
                }
            }

            if (NullableOptionals && result["properties"] is JsonObject props)
            {
                var required = (result["required"] as JsonArray)?.Select(r => (string)r!).ToHashSet() ?? new HashSet<string>();
                foreach (string name in props.Select(p => p.Key).ToList())
                {
                    if (!required.Contains(name) && props[name] is JsonObject property)
                    {
                        props[name] = new JsonObject { ["anyOf"] = new JsonArray(property.DeepClone(), new JsonObject { ["type"] = "null" }) };
                    }
                }
            }

            if (result["nullable"] is JsonValue nullable && (bool)nullable)
            {
                result.Remove("nullable");
                if (result["type"] is JsonValue type)
                {
                    result["type"] = new JsonArray((string)type!, "null");
                }
                else
                {
                    var inner = (JsonObject)result.DeepClone();
                    result = new JsonObject { ["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" }) };
                }
            }
            else
            {
                result.Remove("nullable");
            }

            return result;
        }

        /// <summary>An allOf part with its reference replaced by the (converted) component.</summary>
        private JsonObject Inline(JsonObject part)
        {
            if (part["$ref"] is JsonValue reference && ((string)reference!).StartsWith("#/components/schemas/", StringComparison.Ordinal))
            {
                return (JsonObject)Component(((string)reference!)["#/components/schemas/".Length..]).DeepClone();
            }

            return (JsonObject)ConvertNode(part);
        }

        private static void Merge(JsonObject into, JsonObject part)
        {
            foreach (var (key, value) in part)
            {
                if (value is null)
                {
                    continue;
                }

                switch (key)
                {
                    case "properties":
                        var properties = into["properties"] as JsonObject ?? new JsonObject();
                        foreach (var (name, schema) in value.AsObject())
                        {
                            properties[name] = schema?.DeepClone();
                        }

                        into["properties"] = properties;
                        break;
                    case "required":
                        var required = (into["required"] as JsonArray)?.Select(r => (string)r!).ToList() ?? new List<string>();
                        required.AddRange(value.AsArray().Select(r => (string)r!).Where(r => !required.Contains(r)));
                        into["required"] = new JsonArray(required.Select(r => (JsonNode?)JsonValue.Create(r)).ToArray());
                        break;
                    case "additionalProperties" when value is JsonValue v && v.TryGetValue(out bool allowed) && !allowed:
                        into[key] = false;
                        break;
                    default:
                        if (!into.ContainsKey(key))
                        {
                            into[key] = value.DeepClone();
                        }

                        break;
                }
            }
        }
    }
}
