using System.IO.Compression;
using System.Xml.Linq;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>The package the Package task builds is what PowerShell galleries expect.</summary>
public class PackageTests
{
    [Fact]
    public void PackMakesAGalleryPackageOfTheStagedModule()
    {
        string output = Path.Combine(Path.GetTempPath(), "renku-ps-pack-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            var result = ProcessRunner.Run("dotnet", new[] { BuildTool(), "pack", "--module", RepoPaths.StagedModuleDirectory, "--out", output }, TimeSpan.FromMinutes(2)).EnsureSuccess("pack");
            string package = Path.Combine(output, $"Renku.PowerShell.{RepoPaths.Version}.nupkg");
            Assert.True(File.Exists(package), result.StdOut);

            using ZipArchive zip = ZipFile.OpenRead(package);
            var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
            Assert.Contains("Renku.PowerShell.psd1", names);
            Assert.Contains("Renku.PowerShell.dll", names);
            Assert.Contains("Renku.PowerShell.format.ps1xml", names);
            Assert.Contains("en-US/Renku.PowerShell.dll-Help.xml", names);
            Assert.Contains("dependencies/Renku.PowerShell.Engine.dll", names);
            Assert.Contains("[Content_Types].xml", names);
            Assert.Contains("_rels/.rels", names);
            Assert.Contains(names, n => n.StartsWith("package/services/metadata/core-properties/", StringComparison.Ordinal) && n.EndsWith(".psmdcp", StringComparison.Ordinal));

            XDocument nuspec = XDocument.Load(zip.GetEntry("Renku.PowerShell.nuspec")!.Open());
            XNamespace ns = nuspec.Root!.Name.Namespace;
            XElement metadata = nuspec.Root.Element(ns + "metadata")!;
            Assert.Equal("Renku.PowerShell", metadata.Element(ns + "id")!.Value);
            Assert.Equal(RepoPaths.Version, metadata.Element(ns + "version")!.Value);
            Assert.False(string.IsNullOrWhiteSpace(metadata.Element(ns + "description")!.Value));
            string[] tags = metadata.Element(ns + "tags")!.Value.Split(' ');
            Assert.Contains("PSModule", tags);
            Assert.Contains("PSEdition_Core", tags);
            Assert.Contains("PSCmdlet_ConvertTo-RenkuImageReference", tags);

            // Every file type in the package is declared in [Content_Types].xml (NuGet refuses otherwise).
            XDocument types = XDocument.Load(zip.GetEntry("[Content_Types].xml")!.Open());
            var declared = types.Root!.Elements().Select(e => (string)e.Attribute("Extension")!).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (string name in names.Where(n => n != "[Content_Types].xml"))
            {
                string extension = Path.GetExtension(name).TrimStart('.');
                Assert.True(extension.Length == 0 || declared.Contains(extension), $"{name} has an undeclared content type.");
            }
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    private static string BuildTool()
    {
        // The tool is built by the staging step in the same configuration as this test assembly.
        string configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
        string tool = Path.Combine(RepoPaths.Root, "tools", "Renku.PowerShell.BuildTools", "bin", configuration, "net10.0", "Renku.PowerShell.BuildTools.dll");
        Assert.True(File.Exists(tool), $"The build tool is missing at {tool}; build the solution first.");
        return tool;
    }
}
