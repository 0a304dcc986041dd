using System.Collections;
using System.IO.Compression;
using System.Management.Automation.Language;
using System.Xml.Linq;

namespace Renku.PowerShell.BuildTools;

/// <summary>
/// Packs a staged module folder as the .nupkg PowerShell galleries use: the module files at the
/// package root, a nuspec whose tags carry PSModule / PSCmdlet_* / PSEdition_*, and the OPC parts
/// NuGet expects. Install-PSResource and Publish-PSResource accept it.
/// </summary>
internal static class ModulePackager
{
    private static readonly XNamespace Nuspec = "http://schemas.microsoft.com/packaging/2011/08/nuspec.xsd";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";
    private static readonly XNamespace Relationships = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly XNamespace CoreProperties = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
    private static readonly XNamespace Dc = "http://purl.org/dc/elements/1.1/";

    public static string Pack(string moduleDirectory, string outputDirectory)
    {
        string manifestPath = Directory.GetFiles(moduleDirectory, "*.psd1").Single();
        string id = Path.GetFileNameWithoutExtension(manifestPath);
        Hashtable manifest = ReadManifest(manifestPath);
        string version = (string)manifest["ModuleVersion"]!;
        var psData = (Hashtable?)((Hashtable?)manifest["PrivateData"])?["PSData"] ?? new Hashtable();

        var tags = new List<string>();
        tags.AddRange(Strings(psData["Tags"]));
        tags.Add("PSModule");
        tags.AddRange(Strings(manifest["CompatiblePSEditions"]).Select(e => "PSEdition_" + e));
        foreach (string cmdlet in Strings(manifest["CmdletsToExport"]))
        {
            tags.Add("PSCmdlet_" + cmdlet);
            tags.Add("PSCommand_" + cmdlet);
        }

        tags.Add("PSIncludes_Cmdlet");
        string author = (string?)manifest["Author"] ?? id;

        var metadata = new XElement(
            Nuspec + "metadata",
            new XElement(Nuspec + "id", id),
            new XElement(Nuspec + "version", version),
            new XElement(Nuspec + "authors", author),
            new XElement(Nuspec + "owners", (string?)manifest["CompanyName"] ?? author),
            new XElement(Nuspec + "requireLicenseAcceptance", "false"),
            new XElement(Nuspec + "description", (string?)manifest["Description"] ?? id),
            new XElement(Nuspec + "copyright", (string?)manifest["Copyright"] ?? string.Empty),
            new XElement(Nuspec + "tags", string.Join(' ', tags.Distinct(StringComparer.OrdinalIgnoreCase))));
        AddIfPresent(metadata, "licenseUrl", psData["LicenseUri"]);
        AddIfPresent(metadata, "projectUrl", psData["ProjectUri"]);
        AddIfPresent(metadata, "releaseNotes", psData["ReleaseNotes"]);
        var nuspec = new XDocument(new XDeclaration("1.0", "utf-8", null), new XElement(Nuspec + "package", metadata));

        Directory.CreateDirectory(outputDirectory);
        string packagePath = Path.Combine(outputDirectory, $"{id}.{version}.nupkg");
        File.Delete(packagePath);

        string[] files = Directory.GetFiles(moduleDirectory, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".pdb", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToArray();
        var extensions = new SortedSet<string>(StringComparer.OrdinalIgnoreCase) { "rels", "psmdcp", "nuspec" };
        string corePropertiesName = "package/services/metadata/core-properties/" + Guid.NewGuid().ToString("N") + ".psmdcp";

        using (ZipArchive zip = ZipFile.Open(packagePath, ZipArchiveMode.Create))
        {
            WriteXml(zip, id + ".nuspec", nuspec);
            foreach (string file in files)
            {
                string entryName = Path.GetRelativePath(moduleDirectory, file).Replace('\\', '/');
                zip.CreateEntryFromFile(file, entryName, CompressionLevel.Optimal);
                string extension = Path.GetExtension(file).TrimStart('.');
                if (extension.Length > 0)
                {
                    extensions.Add(extension);
                }
            }

            WriteXml(zip, "_rels/.rels", new XDocument(new XElement(
                Relationships + "Relationships",
                new XElement(Relationships + "Relationship", new XAttribute("Type", "http://schemas.microsoft.com/packaging/2010/07/manifest"), new XAttribute("Target", "/" + id + ".nuspec"), new XAttribute("Id", "R" + Guid.NewGuid().ToString("N")[..16])),
                new XElement(Relationships + "Relationship", new XAttribute("Type", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"), new XAttribute("Target", "/" + corePropertiesName), new XAttribute("Id", "R" + Guid.NewGuid().ToString("N")[..16])))));

            WriteXml(zip, corePropertiesName, new XDocument(new XElement(
                CoreProperties + "coreProperties",
                new XAttribute(XNamespace.Xmlns + "dc", Dc),
                new XElement(Dc + "creator", author),
                new XElement(Dc + "description", (string?)manifest["Description"] ?? id),
                new XElement(Dc + "identifier", id),
                new XElement(CoreProperties + "version", version),
                new XElement(CoreProperties + "keywords", string.Join(' ', tags.Distinct(StringComparer.OrdinalIgnoreCase))),
                new XElement(CoreProperties + "lastModifiedBy", "Renku.PowerShell.BuildTools"))));

            WriteXml(zip, "[Content_Types].xml", new XDocument(new XElement(
                ContentTypes + "Types",
                extensions.Select(e => new XElement(ContentTypes + "Default", new XAttribute("Extension", e), new XAttribute("ContentType", ContentTypeFor(e)))))));
        }

        return packagePath;
    }

    internal static Hashtable ReadManifest(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        if (errors.Length > 0)
        {
            throw new InvalidOperationException($"{path}: {errors[0].Message}");
        }

        var table = ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false) as HashtableAst
            ?? throw new InvalidOperationException($"{path} holds no hashtable.");
        return (Hashtable)table.SafeGetValue();
    }

    private static IEnumerable<string> Strings(object? value) => value switch
    {
        null => Array.Empty<string>(),
        string s => new[] { s },
        object[] array => array.Select(o => o?.ToString() ?? string.Empty).Where(s => s.Length > 0),
        _ => new[] { value.ToString() ?? string.Empty },
    };

    private static void AddIfPresent(XElement metadata, string name, object? value)
    {
        if (value is string text && text.Length > 0)
        {
            metadata.Add(new XElement(Nuspec + name, text));
        }
    }

    private static string ContentTypeFor(string extension) => extension.ToLowerInvariant() switch
    {
        "rels" => "application/vnd.openxmlformats-package.relationships+xml",
        "psmdcp" => "application/vnd.openxmlformats-package.core-properties+xml",
        "xml" or "nuspec" or "ps1xml" => "application/octet",
        _ => "application/octet",
    };

    private static void WriteXml(ZipArchive zip, string name, XDocument document)
    {
        ZipArchiveEntry entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        using Stream stream = entry.Open();
        document.Save(stream);
    }
}
