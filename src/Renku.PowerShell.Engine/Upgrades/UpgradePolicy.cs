namespace Renku.PowerShell.Upgrades;

/// <summary>Which newer tag an audit may choose.</summary>
public sealed class UpgradePolicy
{
    public UpgradeLevel Level { get; init; } = UpgradeLevel.Minor;

    public bool AllowPrerelease { get; init; }

    /// <summary>Only versions inside this range are chosen (NuGet range syntax, e.g. <c>[2.10,3.0)</c>).</summary>
    internal NuGet.Versioning.VersionRange? Range { get; init; }

    /// <summary>The range as written, or null.</summary>
    public string? VersionRange => Range?.OriginalString;

    /// <summary>Keep the tag's precision: <c>1.2</c> moves to <c>1.3</c>, not <c>1.3.0</c>.</summary>
    public bool KeepPrecision { get; init; } = true;

    /// <summary>
    /// A policy from the cmdlet parameters; a range that does not parse throws
    /// <see cref="FormatException"/> with a message that shows the syntax.
    /// </summary>
    public static UpgradePolicy Create(UpgradeLevel level, bool allowPrerelease, bool keepPrecision, string? versionRange) => new()
    {
        Level = level,
        AllowPrerelease = allowPrerelease,
        KeepPrecision = keepPrecision,
        Range = versionRange is null ? null : ParseRange(versionRange),
    };

    internal static NuGet.Versioning.VersionRange ParseRange(string text)
    {
        if (!NuGet.Versioning.VersionRange.TryParse(text, out NuGet.Versioning.VersionRange? range) || range is null)
        {
            throw new FormatException($"The version range '{text}' is not valid. Use NuGet range syntax: '[2.10,3.0)' (2.10 or later, before 3.0), '[2.10.3]' (exactly), '2.10' (2.10 or later).");
        }

        return range;
    }
}
