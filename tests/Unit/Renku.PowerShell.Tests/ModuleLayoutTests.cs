using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Reflection;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

public class ModuleLayoutTests
{
    [Fact]
    public void StagedFolderHoldsTheModuleAndItsDependencies()
    {
        string dir = RepoPaths.StagedModuleDirectory;
        Assert.True(File.Exists(Path.Combine(dir, "Renku.PowerShell.psd1")));
        Assert.True(File.Exists(Path.Combine(dir, "Renku.PowerShell.dll")));
        Assert.True(File.Exists(Path.Combine(dir, "Renku.PowerShell.format.ps1xml")));
        Assert.True(File.Exists(Path.Combine(dir, "en-US", "Renku.PowerShell.dll-Help.xml")));
        Assert.True(File.Exists(Path.Combine(dir, "dependencies", "Renku.PowerShell.Engine.dll")));
        Assert.True(File.Exists(Path.Combine(dir, "dependencies", "NuGet.Versioning.dll")));

        // Only the cmdlets and the loader sit at the root; the engine and third parties stay in dependencies/.
        string[] rootDlls = Directory.GetFiles(dir, "*.dll").Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal).ToArray()!;
        Assert.Equal(new[] { "Renku.PowerShell.Loader.dll", "Renku.PowerShell.dll" }, rootDlls);

        // The PowerShell engine never ships with the module.
        Assert.Empty(Directory.GetFiles(dir, "System.Management.Automation*.dll", SearchOption.AllDirectories));
    }

    [Fact]
    public void OneVersionFeedsAssemblyManifestAndSourceManifest()
    {
        string version = RepoPaths.Version;
        Hashtable staged = ReadManifest(RepoPaths.StagedManifest);
        Hashtable source = ReadManifest(Path.Combine(RepoPaths.Root, "Renku.PowerShell.psd1"));
        Assert.Equal(version, staged["ModuleVersion"]);
        Assert.Equal(version, source["ModuleVersion"]);

        AssemblyName assembly = AssemblyName.GetAssemblyName(Path.Combine(RepoPaths.StagedModuleDirectory, "Renku.PowerShell.dll"));
        Assert.Equal(new Version(version), new Version(assembly.Version!.Major, assembly.Version.Minor, assembly.Version.Build));
    }

    [Fact]
    public void ManifestDeclaresWhatTheGalleryAndPowerShellNeed()
    {
        Hashtable manifest = ReadManifest(RepoPaths.StagedManifest);
        Assert.Equal("Renku.PowerShell.dll", manifest["RootModule"]);
        Assert.Equal(new object[] { "Renku.PowerShell.Loader.dll" }, (object[])manifest["NestedModules"]!);
        Assert.Equal("7.4", manifest["PowerShellVersion"]);
        Assert.Equal(new object[] { "Core" }, (object[])manifest["CompatiblePSEditions"]!);
        Assert.Equal(new object[] { "Renku.PowerShell.format.ps1xml" }, (object[])manifest["FormatsToProcess"]!);
        Assert.NotEmpty((object[])manifest["CmdletsToExport"]!);
        Assert.DoesNotContain("*", ((object[])manifest["CmdletsToExport"]!).Cast<string>());

        var psData = (Hashtable)((Hashtable)manifest["PrivateData"]!)["PSData"]!;
        Assert.NotEmpty((object[])psData["Tags"]!);
        Assert.StartsWith("https://", (string)psData["ProjectUri"]!);
        Assert.StartsWith("https://", (string)psData["LicenseUri"]!);
        Assert.False(string.IsNullOrWhiteSpace((string?)psData["ReleaseNotes"]));
    }

    [Fact]
    public void TestModuleManifestAcceptsTheStagedManifest()
    {
        var result = ModuleHost.Run("Test-ModuleManifest -Path $manifest", new Dictionary<string, object?> { ["manifest"] = ModuleHost.Manifest }).ShouldSucceed();
        PSObject info = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell", info.Properties["Name"].Value);
    }

    [Fact]
    public void ImportByFolderNameLoadsTheModule()
    {
        string folder = Path.Combine(RepoPaths.Root, "out", "Renku.PowerShell");
        var result = ModuleHost.Run(
            "Remove-Module Renku.PowerShell; Import-Module $folder -PassThru | ForEach-Object { $_.Name + ' ' + $_.Version }",
            new Dictionary<string, object?> { ["folder"] = folder }).ShouldSucceed();
        Assert.Equal($"Renku.PowerShell {RepoPaths.Version}", Assert.Single(result.Output).BaseObject);
    }

    [Fact]
    public void ExportedCmdletsMatchTheManifestAndTheAssembly()
    {
        Hashtable manifest = ReadManifest(Path.Combine(RepoPaths.Root, "Renku.PowerShell.psd1"));
        var declared = ((object[])manifest["CmdletsToExport"]!).Cast<string>().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        var result = ModuleHost.Run("(Get-Command -Module Renku.PowerShell).Name").ShouldSucceed();
        var exported = result.Output.Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, exported);

        // Every cmdlet class in the assembly is declared (a new cmdlet cannot be forgotten in the manifest).
        var defined = ModuleHost.Run(
            "(Get-Command ConvertTo-RenkuImageReference).ImplementingType.Assembly.GetExportedTypes() | ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } | ForEach-Object { $_.VerbName + '-' + $_.NounName }")
            .ShouldSucceed().Output.Select(o => (string)o.BaseObject).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToArray();
        Assert.Equal(declared, defined);
    }

    internal static Hashtable ReadManifest(string path)
    {
        ScriptBlockAst ast = Parser.ParseFile(path, out _, out ParseError[] errors);
        Assert.Empty(errors);
        var hashtable = (HashtableAst)ast.Find(a => a is HashtableAst, searchNestedScriptBlocks: false)!;
        return (Hashtable)hashtable.SafeGetValue();
    }
}
