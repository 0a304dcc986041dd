using System.Management.Automation;

using Renku.PowerShell.Upgrades;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Which releases an upgrade audit may choose.</summary>
public sealed class UpgradePolicyParameters : ParameterGroup
{
    /// <param name="parameterSets">The cmdlet\'s parameter sets these parameters belong to; none for all.</param>
    public UpgradePolicyParameters(params string[] parameterSets)
        : base(parameterSets)
    {
    }

    /// <summary>The largest step: Patch, Minor (default) or Major.</summary>
    [Parameter]
    public UpgradeLevel Level { get; set; } = UpgradeLevel.Minor;

    /// <summary>Also chooses prereleases.</summary>
    [Parameter]
    public SwitchParameter AllowPrerelease { get; set; }

    /// <summary>A NuGet-style version range the candidate must be in, such as [2.0,3.0).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? VersionRange { get; set; }

    /// <summary>Allows a candidate with more or fewer version parts than the current tag.</summary>
    [Parameter]
    public SwitchParameter AnyPrecision { get; set; }

    /// <summary>How many repositories are listed at once.</summary>
    [Parameter]
    [ValidateRange(1, 64)]
    public int ThrottleLimit { get; set; } = 8;

    /// <summary>The policy; a range that does not parse stops the cmdlet before anything is read.</summary>
    internal UpgradePolicy CreatePolicy(RenkuCmdlet cmdlet)
    {
        UpgradePolicy? policy = null;
        try
        {
            policy = UpgradePolicy.Create(Level, AllowPrerelease.IsPresent, !AnyPrecision.IsPresent, VersionRange);
        }
        catch (FormatException ex)
        {
            cmdlet.Refuse(ErrorMap.Record(ex, ErrorIds.InvalidVersionRange, VersionRange));
        }

        return policy;
    }
}
