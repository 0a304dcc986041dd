using NuGet.Versioning;

namespace Renku.PowerShell.Upgrades;

/// <summary>Which newer tag an audit may choose.</summary>
public sealed class UpgradePolicy
{
    public UpgradeLevel Level { get; init; } = UpgradeLevel.Minor;

    public bool AllowPrerelease { get; init; }

    /// <summary>Only versions inside this range are chosen (NuGet range syntax, e.g. <c>[2.10,3.0)</c>).</summary>
    public VersionRange? Range { get; init; }

    /// <summary>Keep the tag's precision: <c>1.2</c> moves to <c>1.3</c>, not <c>1.3.0</c>.</summary>
    public bool KeepPrecision { get; init; } = true;

    /// <summary>Parses a range, throwing <see cref="FormatException"/> with a message that shows the syntax.</summary>
    public static VersionRange ParseRange(string text)
    {
        if (!VersionRange.TryParse(text, out VersionRange? range) || range is null)
        {
            throw new FormatException($"The version range '{text}' is not valid. Use NuGet range syntax: '[2.10,3.0)' (2.10 or later, before 3.0), '[2.10.3]' (exactly), '2.10' (2.10 or later).");
        }

        return range;
    }
}
