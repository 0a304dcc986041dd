namespace Renku.PowerShell.Compliance;

/// <summary>A rule of the catalog: stable id and name, what it checks, its default severity and the usual fix.</summary>
public sealed class ComplianceRule
{
    internal ComplianceRule(string id, string name, string category, ComplianceSeverity defaultSeverity, string title, string remedy, Func<Compliance.ComplianceContext, Compliance.RuleVerdict> evaluate)
    {
        Id = id;
        Name = name;
        Category = category;
        DefaultSeverity = defaultSeverity;
        Title = title;
        Remedy = remedy;
        Evaluate = evaluate;
    }

    /// <summary>Stable id (<c>RKC001</c>); never reused for another rule.</summary>
    public string Id { get; }

    /// <summary>Stable name (<c>DistributionIsDebianOrUbuntu</c>).</summary>
    public string Name { get; }

    /// <summary>Image, Environment, Registry, Platform, Dockerfile, Session or Job.</summary>
    public string Category { get; }

    public ComplianceSeverity DefaultSeverity { get; }

    /// <summary>One sentence: what the rule wants.</summary>
    public string Title { get; }

    /// <summary>The usual fix when the rule fails.</summary>
    public string Remedy { get; }

    internal Func<Compliance.ComplianceContext, Compliance.RuleVerdict> Evaluate { get; }

    public override string ToString() => $"{Id} {Name}";
}
