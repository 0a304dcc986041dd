using System.Xml.Linq;

namespace Renku.PowerShell.BuildTools;

/// <summary>
/// Merges the per-noun format fragments (each a complete Configuration document) into the one
/// Renku.PowerShell.format.ps1xml the manifest loads. A type name defined twice is an error.
/// </summary>
internal static class FormatMerger
{
    public static XDocument Merge(IEnumerable<string> fragmentPaths)
    {
        var views = new XElement("ViewDefinitions");
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string path in fragmentPaths.OrderBy(p => p, StringComparer.Ordinal))
        {
            XDocument fragment = XDocument.Load(path);
            foreach (XElement view in fragment.Descendants("View"))
            {
                string key = (string?)view.Element("Name") + "|" + string.Join(",", view.Descendants("TypeName").Select(t => t.Value));
                if (seen.TryGetValue(key, out string? other))
                {
                    throw new InvalidOperationException($"The view '{key}' is defined in both '{other}' and '{path}'.");
                }

                seen[key] = path;
                views.Add(new XElement(view));
            }
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement("Configuration", views));
    }
}
