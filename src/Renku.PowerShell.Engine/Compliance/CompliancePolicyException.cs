namespace Renku.PowerShell.Compliance;

/// <summary>A compliance policy that cannot be used; the message names the setting and what is allowed.</summary>
public sealed class CompliancePolicyException : Exception
{
    public CompliancePolicyException(string message)
        : base(message)
    {
    }

    public CompliancePolicyException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
