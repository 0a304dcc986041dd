using System.Reflection;
using System.Xml.Linq;

using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>The staged format file matches the types the cmdlets really emit.</summary>
public class FormatFileTests
{
    private static readonly Lazy<XDocument> Formats = new(() => XDocument.Load(Path.Combine(RepoPaths.StagedModuleDirectory, "Renku.PowerShell.format.ps1xml")));

    [Fact]
    public void EveryViewNamesRealPropertiesOfARealType()
    {
        Assembly engine = LoadEngine();
        foreach (XElement view in Formats.Value.Descendants("View"))
        {
            string typeName = view.Descendants("TypeName").First().Value;
            Type? type = engine.GetType(typeName) ?? Type.GetType(typeName);
            Assert.True(type is not null, $"The format view names the unknown type {typeName}.");
            foreach (string property in view.Descendants("PropertyName").Select(p => p.Value))
            {
                Assert.True(type!.GetProperty(property) is not null, $"{typeName} has no property {property} used by its view.");
            }
        }
    }

    [Fact]
    public void EveryRenkuOutputTypeHasATableView()
    {
        var viewed = Formats.Value.Descendants("View").Where(v => v.Element("TableControl") is not null)
            .SelectMany(v => v.Descendants("TypeName").Select(t => t.Value)).ToHashSet(StringComparer.Ordinal);
        var outputTypes = ModuleHost.Run("Get-Command -Module Renku.PowerShell | ForEach-Object { $_.OutputType.Name }").ShouldSucceed()
            .Output.Select(o => (string)o.BaseObject).Where(n => n.StartsWith("Renku.PowerShell.", StringComparison.Ordinal)).Distinct();
        Assert.All(outputTypes, t => Assert.True(viewed.Contains(t), $"{t} has no table view in the format file."));
    }

    private static Assembly LoadEngine()
    {
        ModuleHost.Run("ConvertTo-RenkuImageReference python").ShouldSucceed();
        return AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell.Engine");
    }
}
