using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Compliance;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>The compliance policy a cmdlet checks images against.</summary>
public interface ICompliancePolicyParameters : IParameterGroup
{
    /// <inheritdoc cref="CompliancePolicyParameters.Policy"/>
    object? Policy { get; }
}

/// <summary>The template of <see cref="ICompliancePolicyParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class CompliancePolicyParameters : ICompliancePolicyParameters
{
    /// <summary>The compliance policy: a path to a .psd1, .json or .yml file, a hashtable, or a policy object (default: Renku's rules as they are).</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Policy { get; set; }
}

/// <summary>Turns -Policy into the engine's compliance policy.</summary>
internal static class CompliancePolicyOption
{
    /// <summary>The policy -Policy gives (the default without it); throws <see cref="CompliancePolicyException"/> for one that cannot be read.</summary>
    internal static CompliancePolicy ResolveCompliancePolicy<TCmdlet>(this TCmdlet cmdlet)
        where TCmdlet : RenkuCmdlet, ICompliancePolicyParameters => PolicyArgument.Resolve(cmdlet, cmdlet.Policy);
}
