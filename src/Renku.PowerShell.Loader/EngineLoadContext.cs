using System.Reflection;
using System.Runtime.Loader;

namespace Renku.PowerShell.Loader;

/// <summary>
/// The module's own load context. The engine and every third-party assembly it uses live in
/// <c>dependencies/</c> beside the cmdlet assembly and are loaded here, so another module's copy
/// of YamlDotNet, NuGet.Versioning or KubernetesClient never meets ours.
/// </summary>
internal sealed class EngineLoadContext : AssemblyLoadContext
{
    internal const string EngineAssemblyName = "Renku.PowerShell.Engine";

    private static readonly object Gate = new();
    private static EngineLoadContext? instance;
    private static int registrations;

    private readonly string dependencyDirectory;

    private EngineLoadContext(string dependencyDirectory)
        : base("Renku.PowerShell", isCollectible: false)
    {
        this.dependencyDirectory = dependencyDirectory;
    }

    internal static string DependencyDirectory =>
        Path.Combine(Path.GetDirectoryName(typeof(EngineLoadContext).Assembly.Location)!, "dependencies");

    /// <summary>
    /// How many imports (one per runspace that imported the module) hold the resolver. Several
    /// runspaces of one process share it; the last Remove-Module unhooks it.
    /// </summary>
    internal static int Registrations
    {
        get
        {
            lock (Gate)
            {
                return registrations;
            }
        }
    }

    internal static void Register()
    {
        lock (Gate)
        {
            if (registrations++ == 0)
            {
                instance ??= new EngineLoadContext(DependencyDirectory);
                Default.Resolving += ResolveEngine;
            }
        }
    }

    internal static void Unregister()
    {
        lock (Gate)
        {
            if (registrations == 0)
            {
                return;
            }

            if (--registrations == 0)
            {
                Default.Resolving -= ResolveEngine;
            }
        }
    }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // Our own dependencies come from dependencies/; anything else (the framework,
        // System.Management.Automation) falls through to the default context.
        string candidate = Path.Combine(dependencyDirectory, assemblyName.Name + ".dll");
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName assemblyName)
    {
        // Answer only for the engine: every other name is somebody else's business.
        if (!string.Equals(assemblyName.Name, EngineAssemblyName, StringComparison.Ordinal))
        {
            return null;
        }

        return instance!.LoadFromAssemblyName(assemblyName);
    }
}
