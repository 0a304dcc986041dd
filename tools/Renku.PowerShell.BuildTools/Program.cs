using System.Xml.Linq;

using Renku.PowerShell.BuildTools;

// Usage:
//   stage --version V --manifest PSD1 --docs DIR --formats DIR --out DIR
//   pack --module DIR --out DIR
//   example --out DIR
const string Usage = "usage: stage --version V --manifest PSD1 --docs DIR --formats DIR --out DIR | pack --module DIR --out DIR | example --out DIR";
var options = new Dictionary<string, string>(StringComparer.Ordinal);
if (args.Length == 0 || (args[0] != "stage" && args[0] != "pack" && args[0] != "example"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}

for (int i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

if (args[0] == "example")
{
    if (!options.TryGetValue("out", out string? exampleDir))
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    Console.WriteLine($"example image {ExampleImageWriter.ReferenceName} written to {ExampleImageWriter.Write(exampleDir)}");
    return 0;
}

if (args[0] == "pack")
{
    if (!options.TryGetValue("module", out string? module) || !options.TryGetValue("out", out string? packageDir))
    {
        Console.Error.WriteLine(Usage);
        return 2;
    }

    try
    {
        Console.WriteLine("packed " + ModulePackager.Pack(module, packageDir));
        return 0;
    }
    catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
    {
        Console.Error.WriteLine("error: " + ex.Message);
        return 1;
    }
}

foreach (string required in new[] { "version", "manifest", "docs", "formats", "out" })
{
    if (!options.ContainsKey(required))
    {
        Console.Error.WriteLine($"error: --{required} is required");
        return 2;
    }
}

try
{
    string outDir = options["out"];
    Directory.CreateDirectory(outDir);

    string manifestName = Path.GetFileName(options["manifest"]);
    File.WriteAllText(Path.Combine(outDir, manifestName), ManifestStamper.Stamp(File.ReadAllText(options["manifest"]), options["version"]));

    string[] fragments = Directory.GetFiles(options["formats"], "*.ps1xml");
    FormatMerger.Merge(fragments).Save(Path.Combine(outDir, "Renku.PowerShell.format.ps1xml"));

    List<HelpPage> pages = Directory.GetFiles(options["docs"], "*-*.md").Select(HelpMarkdownReader.Read).ToList();
    foreach (HelpPage page in pages.Where(p => string.IsNullOrWhiteSpace(p.Name) || string.IsNullOrWhiteSpace(p.Synopsis)))
    {
        throw new InvalidOperationException($"{page.SourceFile}: a help page needs a '# Name' title and a SYNOPSIS.");
    }

    string helpDir = Path.Combine(outDir, "en-US");
    Directory.CreateDirectory(helpDir);
    XDocument maml = MamlWriter.Write(pages);
    maml.Save(Path.Combine(helpDir, "Renku.PowerShell.dll-Help.xml"));
    Console.WriteLine($"staged {manifestName} {options["version"]}: {fragments.Length} format fragment(s), {pages.Count} help page(s)");
    return 0;
}
catch (Exception ex) when (ex is IOException or InvalidOperationException or System.Xml.XmlException or UnauthorizedAccessException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}
