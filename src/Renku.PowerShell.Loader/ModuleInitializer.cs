using System.Management.Automation;

namespace Renku.PowerShell.Loader;

/// <summary>
/// Runs when the module is imported and removed: hooks the engine's load context into the
/// default context for exactly the engine assembly, and unhooks it again on Remove-Module.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    public void OnImport() => EngineLoadContext.Register();

    public void OnRemove(PSModuleInfo psModuleInfo) => EngineLoadContext.Unregister();
}
