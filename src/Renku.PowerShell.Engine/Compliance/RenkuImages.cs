using System.Text.RegularExpressions;

namespace Renku.PowerShell.Compliance;

/// <summary>Recognises Renku's own images and the legacy Renku 1.x bases.</summary>
internal static class RenkuImages
{
    private static readonly string[] RenkuRepositoryPrefixes =
    {
        "swissdatasciencecenter/renku/",
        "swissdatasciencecenter/renku-frontend-buildpacks/",
    };

    private static readonly Regex LegacyRepository = new(@"(^|/)renku/renkulab-[a-z0-9._-]+$", RegexOptions.CultureInvariant);

    /// <summary>True for the images Renku publishes (global images, run image, builder).</summary>
    internal static bool IsRenkuImage(ImageReference reference) =>
        string.Equals(reference.Registry, "ghcr.io", StringComparison.OrdinalIgnoreCase)
        && RenkuRepositoryPrefixes.Any(p => reference.Repository.StartsWith(p, StringComparison.Ordinal));

    internal static bool IsRenkuImage(string reference) =>
        ImageReference.TryParse(reference, out ImageReference? parsed, out _) && IsRenkuImage(parsed!);

    /// <summary>True for Renku 1.x bases such as <c>renku/renkulab-py</c>.</summary>
    internal static bool IsLegacyBase(ImageReference reference) => LegacyRepository.IsMatch(reference.Repository);

    internal static bool IsLegacyBase(string reference) =>
        ImageReference.TryParse(reference, out ImageReference? parsed, out _) && IsLegacyBase(parsed!);
}
