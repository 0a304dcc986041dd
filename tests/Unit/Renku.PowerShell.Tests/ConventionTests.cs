using System.Management.Automation;
using System.Reflection;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// House rules every exported cmdlet follows, as README's design notes write them ("House rules
/// for every exported cmdlet").
/// </summary>
public class ConventionTests
{
    private static readonly Lazy<List<CmdletInfoSnapshot>> Cmdlets = new(LoadCmdlets);

    private static readonly HashSet<string> StateChangingVerbs = new(StringComparer.OrdinalIgnoreCase)
    {
        "New", "Set", "Remove", "Add", "Clear", "Update", "Sync", "Publish", "Install", "Uninstall",
        "Reset", "Rename", "Move", "Copy", "Start", "Stop", "Restart", "Register", "Unregister",
        "Enable", "Disable", "Build", "Import", "Export", "Save", "Write", "Initialize", "Invoke", "Disconnect",
    };

    public static IEnumerable<object[]> CmdletNames() => Cmdlets.Value.Select(c => new object[] { c.Name });

    [Fact]
    public void TheModuleExportsCmdlets() => Assert.NotEmpty(Cmdlets.Value);

    [Fact]
    public void TheRulesAreWrittenWhereThisClassSays()
    {
        string readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));
        Assert.Contains("**House rules for every exported cmdlet** (`ConventionTests`)", readme, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void VerbIsApproved(string name)
    {
        var approved = typeof(VerbsCommon).Assembly.GetTypes()
            .Where(t => t.IsPublic && t.Name.StartsWith("Verbs", StringComparison.Ordinal) && t.Namespace == "System.Management.Automation")
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetValue(null)!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        Assert.Contains(name.Split('-')[0], approved);
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void NounIsPrefixedWithRenku(string name) => Assert.StartsWith("Renku", name.Split('-')[1], StringComparison.Ordinal);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void DeclaresItsOutputType(string name)
    {
        CmdletInfoSnapshot cmdlet = Cmdlets.Value.Single(c => c.Name == name);
        Assert.True(cmdlet.OutputTypes.Count > 0, $"{name} has no [OutputType].");
        Assert.All(cmdlet.OutputTypes, t => Assert.False(t is "System.Collections.Hashtable" or "System.Management.Automation.PSObject", $"{name} emits {t}; emit a sealed typed object."));
    }

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void StateChangingCmdletsSupportShouldProcess(string name)
    {
        CmdletInfoSnapshot cmdlet = Cmdlets.Value.Single(c => c.Name == name);
        if (StateChangingVerbs.Contains(name.Split('-')[0]))
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes state but does not support -WhatIf/-Confirm.");
        }
    }

    [Fact]
    public void CmdletAssemblyReferencesOnlyTheEngineAndTheFramework()
    {
        // Third-party types must never surface in the cmdlet assembly: they would load in the
        // default context and defeat the module's isolation.
        string[] references = AssemblyReferences(Path.Combine(RepoPaths.StagedModuleDirectory, "Renku.PowerShell.dll"));
        string[] unexpected = references.Where(r => r != "Renku.PowerShell.Engine" && r != "System.Management.Automation" && r != "netstandard" && !r.StartsWith("System", StringComparison.Ordinal) && !r.StartsWith("Microsoft.Win32", StringComparison.Ordinal)).ToArray();
        Assert.True(unexpected.Length == 0, "The cmdlet assembly references: " + string.Join(", ", unexpected));
    }

    private static string[] AssemblyReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
        var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
        return metadata.AssemblyReferences.Select(h => metadata.GetString(metadata.GetAssemblyReference(h).Name)).ToArray();
    }

    private static List<CmdletInfoSnapshot> LoadCmdlets()
    {
        var result = ModuleHost.Run(@"
            Get-Command -Module Renku.PowerShell -CommandType Cmdlet | ForEach-Object {
                [pscustomobject]@{
                    Name = $_.Name
                    OutputTypes = @($_.OutputType | ForEach-Object { $_.Name })
                    SupportsShouldProcess = [bool]@($_.ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false))[0].SupportsShouldProcess
                }
            }").ShouldSucceed();
        return result.Output.Select(o => new CmdletInfoSnapshot(
            (string)o.Properties["Name"].Value,
            ((object[])o.Properties["OutputTypes"].Value).Select(x => x.ToString()!).ToList(),
            (bool)o.Properties["SupportsShouldProcess"].Value)).ToList();
    }

    private sealed record CmdletInfoSnapshot(string Name, List<string> OutputTypes, bool SupportsShouldProcess);
}
