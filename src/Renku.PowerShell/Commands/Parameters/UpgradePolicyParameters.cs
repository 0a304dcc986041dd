using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Which releases an upgrade audit may choose, and how many repositories it lists at once.</summary>
public interface IUpgradePolicyParameters : IParameterGroup
{
    /// <inheritdoc cref="UpgradePolicyParameters.Level"/>
    UpgradeLevel Level { get; }

    /// <inheritdoc cref="UpgradePolicyParameters.AllowPrerelease"/>
    SwitchParameter AllowPrerelease { get; }

    /// <inheritdoc cref="UpgradePolicyParameters.VersionRange"/>
    string? VersionRange { get; }

    /// <inheritdoc cref="UpgradePolicyParameters.AnyPrecision"/>
    SwitchParameter AnyPrecision { get; }

    /// <inheritdoc cref="UpgradePolicyParameters.ThrottleLimit"/>
    int ThrottleLimit { get; }
}

/// <summary>The template of <see cref="IUpgradePolicyParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class UpgradePolicyParameters : IUpgradePolicyParameters
{
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
}

/// <summary>Turns the upgrade policy parameters into the engine's policy.</summary>
internal static class UpgradePolicyOptions
{
    /// <summary>The policy; a range that does not parse stops the cmdlet before anything is read.</summary>
    internal static UpgradePolicy CreateUpgradePolicy<TCmdlet>(this TCmdlet cmdlet)
        where TCmdlet : RenkuCmdlet, IUpgradePolicyParameters
    {
        UpgradePolicy? policy = null;
        try
        {
            policy = UpgradePolicy.Create(cmdlet.Level, cmdlet.AllowPrerelease.IsPresent, !cmdlet.AnyPrecision.IsPresent, cmdlet.VersionRange);
        }
        catch (FormatException ex)
        {
            cmdlet.Refuse(ErrorMap.Record(ex, ErrorIds.InvalidVersionRange, cmdlet.VersionRange));
        }

        return policy;
    }
}
