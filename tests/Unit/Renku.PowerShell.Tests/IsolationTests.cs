using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

using NuGet.Versioning;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The module's engine and its third-party assemblies live in their own load context: a host
/// that already uses another version of the same library keeps it, and so does the module.
/// </summary>
[Collection(nameof(ProcessWideStateCollection))]
public class IsolationTests
{
    [Fact]
    public void AnotherVersionOfADependencyInTheProcessDoesNotBreakTheModule()
    {
        // The host process uses NuGet.Versioning 6.x before the module is imported.
        Assembly hostCopy = typeof(NuGetVersion).Assembly;
        Assert.Equal(6, hostCopy.GetName().Version!.Major);
        Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(hostCopy));
        Assert.True(NuGetVersion.Parse("2.10.3") > NuGetVersion.Parse("2.9.9"));

        // The module's cmdlet classifies tags with its own NuGet.Versioning (7.x).
        var result = ModuleHost.Run("ConvertTo-RenkuImageReference 'ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3', 'python:3.12-slim', 'app:v1.2'").ShouldSucceed();
        Assert.Equal(new[] { "Semver", "SemverWithSuffix", "Semver" }, result.Output.Select(o => o.Properties["TagKind"].Value.ToString()).ToArray());

        Assembly engine = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Renku.PowerShell.Engine");
        AssemblyLoadContext moduleContext = AssemblyLoadContext.GetLoadContext(engine)!;
        Assert.NotEqual(AssemblyLoadContext.Default, moduleContext);
        Assert.Equal("Renku.PowerShell", moduleContext.Name);

        Assembly moduleCopy = moduleContext.Assemblies.Single(a => a.GetName().Name == "NuGet.Versioning");
        Assert.Equal(7, moduleCopy.GetName().Version!.Major);
        Assert.NotSame(hostCopy, moduleCopy);

        // The host's copy still works after the module used its own.
        Assert.Equal("1.2.3", NuGetVersion.Parse("1.2.3").ToNormalizedString());
        Assert.Same(hostCopy, typeof(NuGetVersion).Assembly);
    }

    [Fact]
    public void TheResolverAnswersOnlyForTheEngine()
    {
        ModuleHost.Run("ConvertTo-RenkuImageReference python").ShouldSucceed();

        // Docker.DotNet is one of the module's dependencies that the test host never carries (it
        // carries YamlDotNet through the Renku test servers and ZstdSharp through the test image
        // writer, which other tests in this process load): the default context must not get the
        // module's copy.
        Assert.Throws<FileNotFoundException>(() => AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName("Docker.DotNet")));
    }

    [Fact]
    public void RemoveModuleUnhooksTheResolver()
    {
        var result = ModuleHost.Run(@"
            ConvertTo-RenkuImageReference python | Out-Null
            $type = [System.AppDomain]::CurrentDomain.GetAssemblies() |
                Where-Object { $_.GetName().Name -eq 'Renku.PowerShell.Loader' -and [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext($_) -eq [System.Runtime.Loader.AssemblyLoadContext]::Default } |
                ForEach-Object { $_.GetType('Renku.PowerShell.Loader.EngineLoadContext') }
            $flags = [System.Reflection.BindingFlags]'NonPublic, Static'
            $count = $type.GetProperty('Registrations', $flags)
            $count.GetMethod.Invoke($null, @())
            $null = Remove-Module Renku.PowerShell
            $count.GetMethod.Invoke($null, @())
            $null = Import-Module $manifest
            $count.GetMethod.Invoke($null, @())
            $null = Remove-Module Renku.PowerShell
            $count.GetMethod.Invoke($null, @())
        ", new Dictionary<string, object?> { ["manifest"] = ModuleHost.Manifest }).ShouldSucceed();
        int[] counts = result.Output.Select(o => (int)o.BaseObject).ToArray();
        Assert.True(counts[0] >= 1);
        Assert.Equal(new[] { counts[0], counts[0] - 1, counts[0], counts[0] - 1 }, counts);
    }
}
