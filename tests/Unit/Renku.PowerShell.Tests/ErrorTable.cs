using System.Management.Automation;
using System.Reflection;

using Renku.PowerShell.TestSupport;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The module's error table (ErrorIds: every id and its one category), read from the staged cmdlet
/// assembly that <see cref="ModuleHost"/> imports. Every record an in-process test sees is checked
/// against it.
/// </summary>
public static class ErrorTable
{
    private static readonly Lazy<IReadOnlyDictionary<string, ErrorCategory>> Table = new(Load);

    /// <summary>Every id of the module and its category.</summary>
    public static IReadOnlyDictionary<string, ErrorCategory> Categories => Table.Value;

    /// <summary>The cmdlet assembly the staged module loaded.</summary>
    public static Assembly CmdletAssembly()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(a => a.GetName().Name == "Renku.PowerShell" && a.Location.Length > 0).ToList();
        return loaded.FirstOrDefault(a => a.Location.StartsWith(RepoPaths.StagedModuleDirectory, StringComparison.Ordinal))
            ?? loaded.FirstOrDefault()
            ?? throw new InvalidOperationException("The cmdlet assembly is not loaded; import the module first (ModuleHost.Run).");
    }

    /// <summary>The error id of a record: FullyQualifiedErrorId up to the command's type name.</summary>
    public static string IdOf(ErrorRecord record) => record.FullyQualifiedErrorId.Split(',')[0];

    /// <summary>Throws when a record carries an id of the module with another category than the table's.</summary>
    public static void Check(ErrorRecord record)
    {
        if (!AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Renku.PowerShell" && a.Location.Length > 0))
        {
            return; // the module did not load: the test sees why in the record itself
        }

        string id = IdOf(record);
        if (Categories.TryGetValue(id, out ErrorCategory category) && record.CategoryInfo.Category != category)
        {
            throw new InvalidOperationException($"The error {id} came with the category {record.CategoryInfo.Category}; the table gives it {category}: {record}");
        }
    }

    private static IReadOnlyDictionary<string, ErrorCategory> Load()
    {
        Type ids = CmdletAssembly().GetType("Renku.PowerShell.Commands.Core.ErrorIds", throwOnError: true)!;
        object all = ids.GetProperty("All", BindingFlags.Static | BindingFlags.NonPublic)!.GetValue(null)!;
        return new Dictionary<string, ErrorCategory>((IReadOnlyDictionary<string, ErrorCategory>)all, StringComparer.Ordinal);
    }
}
