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

    [Fact]
    public void EveryTableHeaderIsAPropertyOfItsType()
    {
        Assembly engine = LoadEngine();
        foreach ((Type type, XElement header, _) in TableColumns(engine))
        {
            string label = header.Element("Label")!.Value;
            Assert.True(type.GetProperty(label) is not null, $"The table view of {type.Name} has the column {label}, which is not a property: what people see must be what Select-Object and Where-Object take.");
        }
    }

    [Fact]
    public void NoColumnIsNarrowerThanItsHeaderOrItsEnumValues()
    {
        Assembly engine = LoadEngine();
        foreach ((Type type, XElement header, XElement item) in TableColumns(engine))
        {
            string label = header.Element("Label")!.Value;
            int? width = header.Element("Width") is { } w ? int.Parse(w.Value, System.Globalization.CultureInfo.InvariantCulture) : null;
            Assert.True(width is null || width >= label.Length, $"{type.Name}.{label}: width {width} is narrower than its header.");
            string? property = item.Element("PropertyName")?.Value;
            Type? propertyType = property is null ? null : type.GetProperty(property)?.PropertyType;
            propertyType = propertyType is null ? null : Nullable.GetUnderlyingType(propertyType) ?? propertyType;
            if (propertyType is { IsEnum: true })
            {
                int longest = Enum.GetNames(propertyType).Max(n => n.Length);
                Assert.True(width >= longest, $"{type.Name}.{label}: an enum column needs a fixed width of at least {longest} (its longest value), has {width?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}.");
            }
        }
    }

    [Fact]
    public void FixedWidthsFitA120ColumnTerminalAndTheFirstColumnsFill80()
    {
        // A console of N columns lays a table out in N - 1; a column left with a few characters
        // is shown cut (header wrapped), so the columns shown at 80 fill exactly 79.
        Assembly engine = LoadEngine();
        foreach (IGrouping<Type, (Type Type, XElement Header, XElement Item)> table in TableColumns(engine).GroupBy(c => c.Type))
        {
            int[] widths = table.Select(c => c.Header.Element("Width") is { } w ? int.Parse(w.Value, System.Globalization.CultureInfo.InvariantCulture) : 0).ToArray();
            int fixedTotal = widths.Where(w => w > 0).Sum() + widths.Count(w => w > 0) - 1;
            Assert.True(fixedTotal <= 119, $"{table.Key.Name}: the fixed columns take {fixedTotal} characters, more than a 120-column terminal shows.");
            int used = -1;
            int shown = 0;
            while (shown < widths.Length && widths[shown] > 0 && used + 1 + widths[shown] <= 79)
            {
                used += 1 + widths[shown];
                shown++;
            }

            bool restIsProportional = shown == widths.Length || widths[shown] == 0;
            Assert.True(restIsProportional || 79 - used <= 1,
                $"{table.Key.Name}: the columns that fit 80 take {used} characters; the {79 - used} left would show the next column cut.");
        }
    }

    private static IEnumerable<(Type Type, XElement Header, XElement Item)> TableColumns(Assembly engine)
    {
        foreach (XElement view in Formats.Value.Descendants("View").Where(v => v.Element("TableControl") is not null))
        {
            string typeName = view.Descendants("TypeName").First().Value;
            Type type = engine.GetType(typeName) ?? throw new InvalidOperationException(typeName);
            XElement[] headers = view.Descendants("TableColumnHeader").ToArray();
            XElement[] items = view.Descendants("TableColumnItem").ToArray();
            Assert.Equal(headers.Length, items.Length);
            for (int i = 0; i < headers.Length; i++)
            {
                yield return (type, headers[i], items[i]);
            }
        }
    }

    private static Assembly LoadEngine()
    {
        ModuleHost.Run("ConvertTo-RenkuImageReference python").ShouldSucceed();
        return AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell.Engine");
    }
}
