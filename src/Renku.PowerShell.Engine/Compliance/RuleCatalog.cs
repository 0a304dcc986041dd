namespace Renku.PowerShell.Compliance;

/// <summary>Every rule, in report order.</summary>
internal static class RuleCatalog
{
    private static readonly Lazy<IReadOnlyList<ComplianceRule>> Rules = new(() =>
        ImageRules.All().Concat(EnvironmentRules.All()).Concat(RegistryRules.All()).Concat(PlatformFitRules.All()).Concat(DockerfileRules.All()).Concat(SessionRules.All()).ToArray());

    internal static IReadOnlyList<ComplianceRule> All => Rules.Value;

    /// <summary>Finds a rule by id or name (case-insensitive).</summary>
    internal static ComplianceRule? Find(string idOrName) =>
        All.FirstOrDefault(r => string.Equals(r.Id, idOrName, StringComparison.OrdinalIgnoreCase) || string.Equals(r.Name, idOrName, StringComparison.OrdinalIgnoreCase));
}
