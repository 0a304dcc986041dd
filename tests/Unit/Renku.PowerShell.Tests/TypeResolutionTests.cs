using System.Reflection;
using System.Runtime.Loader;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The object model (the engine's root namespace) is nameable in PowerShell although the engine
/// lives in the module's own load context: the cmdlet assembly forwards each of its types.
/// </summary>
[Collection(nameof(ProcessWideStateCollection))]
public class TypeResolutionTests
{
    [Fact]
    public void TheCmdletAssemblyForwardsExactlyTheObjectModel()
    {
        Assembly engine = LoadEngine();
        string[] model = engine.GetExportedTypes().Where(t => t.Namespace == "Renku.PowerShell" && !t.IsNested)
            .Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();
        Assembly cmdlets = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell" && a.Location.Length > 0);
        string[] forwarded = cmdlets.GetForwardedTypes().Select(t => t.FullName!).Order(StringComparer.Ordinal).ToArray();

        Assert.NotEmpty(model);
        Assert.Equal(model, forwarded);
        Assert.All(cmdlets.GetForwardedTypes(), t => Assert.Same(engine, t.Assembly));
    }

    [Fact]
    public void EveryTypeACmdletWritesOrTakesBelongsToTheObjectModel()
    {
        Assembly engine = LoadEngine();
        var result = ModuleHost.Run(@"
            foreach ($command in Get-Command -Module Renku.PowerShell) {
                foreach ($output in $command.OutputType) { if ($output.Type) { $output.Type } }
                foreach ($parameter in $command.Parameters.Values) { $parameter.ParameterType }
            }").ShouldSucceed();
        var seen = new HashSet<Type>();
        var pending = new Queue<Type>(result.Output.Select(o => (Type)o.BaseObject));
        while (pending.TryDequeue(out Type? type))
        {
            foreach (Type candidate in Unwrap(type))
            {
                if (candidate.Assembly == engine && seen.Add(candidate))
                {
                    foreach (PropertyInfo property in candidate.GetProperties())
                    {
                        pending.Enqueue(property.PropertyType);
                    }
                }
            }
        }

        Assert.NotEmpty(seen);
        Assert.All(seen, t => Assert.True(t.Namespace == "Renku.PowerShell", $"{t.FullName} is written or taken by a cmdlet but is not in the object model (the engine's root namespace)."));
    }

    [Fact]
    public void ObjectModelTypesResolveByNameInPowerShell()
    {
        Assembly engine = LoadEngine();
        string[] model = engine.GetExportedTypes().Where(t => t.Namespace == "Renku.PowerShell" && !t.IsNested).Select(t => t.FullName!).ToArray();
        var result = ModuleHost.Run(@"
            foreach ($name in $names) { ([type]$name).FullName }
            [Renku.PowerShell.TagKind]::Semver
            (ConvertTo-RenkuImageReference python) -is [Renku.PowerShell.ImageReference]
            [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext([Renku.PowerShell.ImageReference].Assembly).Name
        ", new Dictionary<string, object?> { ["names"] = model }).ShouldSucceed();

        string[] output = result.Output.Select(o => o.BaseObject.ToString()!).ToArray();
        Assert.Equal(model, output.Take(model.Length));
        Assert.Equal(new[] { "Semver", "True", "Renku.PowerShell" }, output.Skip(model.Length));
        Assert.NotEqual(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(engine));
    }

    private static IEnumerable<Type> Unwrap(Type type)
    {
        if (type.HasElementType)
        {
            return Unwrap(type.GetElementType()!);
        }

        if (type.IsGenericType)
        {
            return type.GetGenericArguments().SelectMany(Unwrap);
        }

        return new[] { type };
    }

    private static Assembly LoadEngine()
    {
        ModuleHost.Run("ConvertTo-RenkuImageReference python").ShouldSucceed();
        return AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell.Engine");
    }
}
