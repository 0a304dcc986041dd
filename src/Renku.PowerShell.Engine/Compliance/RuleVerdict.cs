namespace Renku.PowerShell.Compliance;

/// <summary>What a rule's check returns before the policy sets the severity.</summary>
internal sealed record RuleVerdict(ComplianceOutcome Outcome, string Message, string Evidence = "", string? Remedy = null, string? File = null, int? Line = null)
{
    internal static RuleVerdict Pass(string message, string evidence = "") => new(ComplianceOutcome.Pass, message, evidence);

    internal static RuleVerdict Fail(string message, string evidence = "", string? remedy = null, string? file = null, int? line = null) => new(ComplianceOutcome.Fail, message, evidence, remedy, file, line);

    internal static RuleVerdict Skip(string message, string evidence = "") => new(ComplianceOutcome.Skip, message, evidence);
}
