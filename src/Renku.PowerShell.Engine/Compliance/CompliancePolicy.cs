using System.Collections;
using System.Globalization;

using Renku.PowerShell.Compliance;

namespace Renku.PowerShell.Compliance;

/// <summary>
/// Which rules run, at which severity, and the values they check against. <see cref="Default"/>
/// encodes Renku's documented rules; a hashtable, JSON or YAML file overrides parts of it.
/// </summary>
public sealed class CompliancePolicy
{
    private static readonly string[] Keys =
    {
        "Name", "Rules", "AllowedDistributions", "Uid", "Gid", "UserName", "AllowedRegistries", "MaxCompressedSize", "RequiredPlatforms",
    };

    /// <summary>The policy's name, shown in reports.</summary>
    public string Name { get; init; } = "Renku";

    /// <summary>Severity overrides by rule id; a null value turns the rule off.</summary>
    public IReadOnlyDictionary<string, ComplianceSeverity?> RuleSeverities { get; init; } = new Dictionary<string, ComplianceSeverity?>(StringComparer.OrdinalIgnoreCase);

    /// <summary>os-release IDs accepted as the image's distribution (ID or ID_LIKE).</summary>
    public IReadOnlyList<string> AllowedDistributions { get; init; } = new[] { "debian", "ubuntu" };

    /// <summary>The uid the image user must have.</summary>
    public int Uid { get; init; } = SessionSettings.RenkuUserId;

    /// <summary>The gid the image user must have.</summary>
    public int Gid { get; init; } = SessionSettings.RenkuUserId;

    /// <summary>The user name Renku's images use.</summary>
    public string UserName { get; init; } = "renku";

    /// <summary>Registries images may come from; empty allows any.</summary>
    public IReadOnlyList<string> AllowedRegistries { get; init; } = Array.Empty<string>();

    /// <summary>Compressed size above which the size rule warns, in bytes.</summary>
    public long MaxCompressedSize { get; init; } = 3L * 1024 * 1024 * 1024;

    /// <summary>Platforms the image must offer.</summary>
    public IReadOnlyList<ImagePlatform> RequiredPlatforms { get; init; } = new[] { new ImagePlatform("linux", "amd64") };

    /// <summary>Renku's documented rules, with nothing overridden.</summary>
    public static CompliancePolicy Default => new();

    /// <summary>True unless the policy turned the rule off.</summary>
    public bool IsEnabled(ComplianceRule rule) => !RuleSeverities.TryGetValue(rule.Id, out ComplianceSeverity? severity) || severity is not null;

    /// <summary>The rule's severity under this policy.</summary>
    public ComplianceSeverity SeverityOf(ComplianceRule rule) =>
        RuleSeverities.TryGetValue(rule.Id, out ComplianceSeverity? severity) && severity is not null ? severity.Value : rule.DefaultSeverity;

    /// <summary>
    /// Reads a policy file: JSON or YAML (<c>.json</c>, <c>.yml</c>, <c>.yaml</c>) holding the same
    /// keys as the hashtable form.
    /// </summary>
    public static CompliancePolicy Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CompliancePolicyException($"The policy file '{path}' does not exist.");
        }

        string extension = Path.GetExtension(path).ToLowerInvariant();
        if (extension is not (".json" or ".yml" or ".yaml"))
        {
            throw new CompliancePolicyException($"The policy file '{path}' has the extension '{extension}'; write the policy as .json, .yml, .yaml (or .psd1 from PowerShell).");
        }

        object? document;
        try
        {
            // YAML is a superset of JSON, so one reader serves both.
            var deserializer = new YamlDotNet.Serialization.DeserializerBuilder().Build();
            document = deserializer.Deserialize<object?>(File.ReadAllText(path));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new CompliancePolicyException($"The policy file '{path}' is not valid {(extension == ".json" ? "JSON" : "YAML")}: {ex.Message}", ex);
        }

        if (document is not IDictionary map)
        {
            throw new CompliancePolicyException($"The policy file '{path}' must hold a mapping of settings ({string.Join(", ", Keys)}).");
        }

        return FromDictionary(map, path);
    }

    /// <summary>
    /// Builds a policy from a dictionary (a PowerShell hashtable, or a parsed file): keys are
    /// case-insensitive; anything not given keeps Renku's default.
    /// </summary>
    public static CompliancePolicy FromDictionary(IDictionary values, string source = "the policy")
    {
        var defaults = Default;
        string name = defaults.Name;
        var severities = new Dictionary<string, ComplianceSeverity?>(StringComparer.OrdinalIgnoreCase);
        IReadOnlyList<string> distributions = defaults.AllowedDistributions;
        int uid = defaults.Uid;
        int gid = defaults.Gid;
        string userName = defaults.UserName;
        IReadOnlyList<string> registries = defaults.AllowedRegistries;
        long maxSize = defaults.MaxCompressedSize;
        IReadOnlyList<ImagePlatform> platforms = defaults.RequiredPlatforms;

        foreach (DictionaryEntry entry in values)
        {
            string key = Convert.ToString(entry.Key, CultureInfo.InvariantCulture) ?? string.Empty;
            string? known = Keys.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase));
            if (known is null)
            {
                throw new CompliancePolicyException($"{source}: unknown setting '{key}'. Valid settings: {string.Join(", ", Keys)}.");
            }

            object? value = entry.Value;
            switch (known)
            {
                case "Name":
                    name = Text(value, source, known);
                    break;
                case "Rules":
                    if (value is not IDictionary rules)
                    {
                        throw new CompliancePolicyException($"{source}: 'Rules' must map rule ids or names to Off, Info, Warning or Error.");
                    }

                    foreach (DictionaryEntry rule in rules)
                    {
                        string ruleKey = Convert.ToString(rule.Key, CultureInfo.InvariantCulture) ?? string.Empty;
                        ComplianceRule found = RuleCatalog.Find(ruleKey)
                            ?? throw new CompliancePolicyException($"{source}: 'Rules' names the unknown rule '{ruleKey}'. Known rules: {string.Join(", ", RuleCatalog.All.Select(r => r.Id))}.");
                        severities[found.Id] = ParseSeverity(rule.Value, source, found.Id);
                    }

                    break;
                case "AllowedDistributions":
                    distributions = List(value, source, known).Select(d => d.ToLowerInvariant()).ToArray();
                    if (distributions.Count == 0)
                    {
                        throw new CompliancePolicyException($"{source}: 'AllowedDistributions' is empty; name at least one os-release ID such as debian or ubuntu, or turn rule RKC001 Off.");
                    }

                    break;
                case "Uid":
                    uid = Id(value, source, known);
                    break;
                case "Gid":
                    gid = Id(value, source, known);
                    break;
                case "UserName":
                    userName = Text(value, source, known);
                    break;
                case "AllowedRegistries":
                    registries = List(value, source, known).Select(r => r.ToLowerInvariant()).ToArray();
                    break;
                case "MaxCompressedSize":
                    maxSize = Size(value, source);
                    break;
                case "RequiredPlatforms":
                    try
                    {
                        platforms = List(value, source, known).Select(ImagePlatform.Parse).ToArray();
                    }
                    catch (FormatException ex)
                    {
                        throw new CompliancePolicyException($"{source}: 'RequiredPlatforms': {ex.Message}", ex);
                    }

                    break;
            }
        }

        return new CompliancePolicy
        {
            Name = name,
            RuleSeverities = severities,
            AllowedDistributions = distributions,
            Uid = uid,
            Gid = gid,
            UserName = userName,
            AllowedRegistries = registries,
            MaxCompressedSize = maxSize,
            RequiredPlatforms = platforms,
        };
    }

    public override string ToString() => Name;

    private static ComplianceSeverity? ParseSeverity(object? value, string source, string ruleId)
    {
        if (value is bool enabled)
        {
            return enabled ? RuleCatalog.Find(ruleId)!.DefaultSeverity : null;
        }

        string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        if (string.Equals(text, "true", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "On", StringComparison.OrdinalIgnoreCase))
        {
            return RuleCatalog.Find(ruleId)!.DefaultSeverity;
        }

        if (string.Equals(text, "Off", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "Disabled", StringComparison.OrdinalIgnoreCase) || string.Equals(text, "false", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        if (Enum.TryParse(text, ignoreCase: true, out ComplianceSeverity severity) && Enum.IsDefined(severity) && !int.TryParse(text, out _))
        {
            return severity;
        }

        throw new CompliancePolicyException($"{source}: rule {ruleId} is set to '{text}'; use Off, Info, Warning or Error.");
    }

    private static string Text(object? value, string source, string key)
    {
        string? text = value as string;
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CompliancePolicyException($"{source}: '{key}' must be a non-empty string.");
        }

        return text;
    }

    private static IReadOnlyList<string> List(object? value, string source, string key)
    {
        if (value is string single)
        {
            return new[] { single };
        }

        if (value is IEnumerable items and not IDictionary)
        {
            var result = new List<string>();
            foreach (object? item in items)
            {
                if (item is not string text || string.IsNullOrWhiteSpace(text))
                {
                    throw new CompliancePolicyException($"{source}: every entry of '{key}' must be a non-empty string.");
                }

                result.Add(text);
            }

            return result;
        }

        throw new CompliancePolicyException($"{source}: '{key}' must be a string or a list of strings.");
    }

    private static int Id(object? value, string source, string key)
    {
        string text = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id) && id is >= 0 and <= 65535)
        {
            return id;
        }

        throw new CompliancePolicyException($"{source}: '{key}' is '{text}'; use a number from 0 to 65535.");
    }

    private static long Size(object? value, string source)
    {
        string text = (Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty).Trim();
        long factor = 1;
        foreach ((string suffix, long multiplier) in new[] { ("GB", 1L << 30), ("MB", 1L << 20), ("KB", 1L << 10) })
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = multiplier;
                text = text[..^suffix.Length].Trim();
                break;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && number > 0)
        {
            return (long)(number * factor);
        }

        throw new CompliancePolicyException($"{source}: 'MaxCompressedSize' is '{value}'; use a positive number of bytes or a size such as 2GB or 500MB.");
    }
}
