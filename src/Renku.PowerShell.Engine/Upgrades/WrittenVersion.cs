using NuGet.Versioning;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// A tag's version that orders as a version and shows as the tag wrote it: <c>22.04</c> compares
/// as 22.4 but reads <c>22.04</c>, <c>3.7.0b1</c> orders before <c>3.7.0</c> but reads <c>3.7.0b1</c>.
/// </summary>
internal sealed class WrittenVersion : NuGetVersion
{
    public WrittenVersion(Version version, IEnumerable<string> releaseLabels, string written)
        : base(version, releaseLabels, null, written)
    {
    }

    public override string ToString() => OriginalVersion ?? ToNormalizedString();

    public override string ToString(string? format, IFormatProvider? formatProvider) =>
        string.IsNullOrEmpty(format) ? ToString() : base.ToString(format, formatProvider);
}
