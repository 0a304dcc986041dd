using System.Text.RegularExpressions;

namespace Renku.PowerShell.BuildTools;

/// <summary>Writes the staged manifest with the build's version in ModuleVersion.</summary>
internal static class ManifestStamper
{
    private static readonly Regex ModuleVersionLine = new(@"(?m)^(\s*ModuleVersion\s*=\s*)'[^']*'");

    public static string Stamp(string manifest, string version)
    {
        if (!ModuleVersionLine.IsMatch(manifest))
        {
            throw new InvalidOperationException("The manifest has no ModuleVersion = '...' line.");
        }

        return ModuleVersionLine.Replace(manifest, m => m.Groups[1].Value + "'" + version + "'", 1);
    }
}
