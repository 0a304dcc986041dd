using k8s;
using k8s.Exceptions;
using k8s.KubeConfigModels;

namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// Finds the client configuration the way kubectl does: an explicit file, else every file in
/// KUBECONFIG (merged), else ~/.kube/config, else the in-cluster service account.
/// </summary>
internal sealed class KubeconfigResolver
{
    private readonly Func<string, string?> getEnvironmentVariable;
    private readonly string defaultKubeconfig;
    private readonly Func<bool> isInCluster;

    internal KubeconfigResolver(Func<string, string?> getEnvironmentVariable, string defaultKubeconfig, Func<bool> isInCluster)
    {
        this.getEnvironmentVariable = getEnvironmentVariable;
        this.defaultKubeconfig = defaultKubeconfig;
        this.isInCluster = isInCluster;
    }

    internal static KubeconfigResolver ForProcess() => new(
        Environment.GetEnvironmentVariable,
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config"),
        KubernetesClientConfiguration.IsInCluster);

    /// <summary>Where the configuration comes from, for messages (never its content).</summary>
    internal string Describe(KubernetesTarget target)
    {
        IReadOnlyList<string> files = Files(target);
        return files.Count > 0 ? string.Join(Path.PathSeparator, files) : "the in-cluster service account";
    }

    internal KubernetesClientConfiguration Resolve(KubernetesTarget target)
    {
        IReadOnlyList<string> files = Files(target);
        if (files.Count == 0)
        {
            if (!string.IsNullOrEmpty(target.Context))
            {
                throw new KubernetesException(KubernetesErrorKind.NotConfigured, $"The context '{target.Context}' was asked for, but no kubeconfig file was found (KUBECONFIG is empty and {defaultKubeconfig} does not exist). Pass -Kubeconfig <file>.");
            }

            if (!isInCluster())
            {
                throw new KubernetesException(KubernetesErrorKind.NotConfigured, $"No Kubernetes configuration was found: KUBECONFIG is empty, {defaultKubeconfig} does not exist and this is not a pod with a service account. Pass -Kubeconfig <file> or set KUBECONFIG.");
            }

            try
            {
                return KubernetesClientConfiguration.InClusterConfig();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                throw new KubernetesException(KubernetesErrorKind.ConfigurationInvalid, "The in-cluster service account could not be read: " + SafeMessage(ex), ex);
            }
        }

        foreach (string file in files)
        {
            if (!File.Exists(file))
            {
                throw new KubernetesException(KubernetesErrorKind.ConfigurationInvalid, $"The kubeconfig file '{file}' does not exist. Check the path given with -Kubeconfig or in KUBECONFIG.");
            }
        }

        try
        {
            if (files.Count == 1)
            {
                return KubernetesClientConfiguration.BuildConfigFromConfigFile(files[0], currentContext: target.Context);
            }

            return KubernetesClientConfiguration.BuildConfigFromConfigObject(Merge(files), currentContext: target.Context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not KubernetesException)
        {
            throw new KubernetesException(KubernetesErrorKind.ConfigurationInvalid, $"The kubeconfig '{string.Join(Path.PathSeparator, files)}' could not be used: {SafeMessage(ex)} Check the file (kubectl config view) and the context name.", ex);
        }
    }

    /// <summary>Context names in the files the target resolves to; empty when they cannot be read.</summary>
    internal IReadOnlyList<string> ContextNames(KubernetesTarget target)
    {
        try
        {
            IReadOnlyList<string> files = Files(target).Where(File.Exists).ToList();
            return files.Count == 0 ? Array.Empty<string>() : Merge(files).Contexts.Select(c => c.Name).Where(n => !string.IsNullOrEmpty(n)).Distinct().OrderBy(n => n, StringComparer.Ordinal).ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return Array.Empty<string>();
        }
    }

    /// <summary>kubectl's merge: the first file to define a name (or the current context) wins.</summary>
    private static K8SConfiguration Merge(IReadOnlyList<string> files)
    {
        var merged = new K8SConfiguration
        {
            Clusters = new List<Cluster>(),
            Users = new List<User>(),
            Contexts = new List<Context>(),
        };
        foreach (string file in files)
        {
            K8SConfiguration part = KubernetesClientConfiguration.LoadKubeConfig(new FileInfo(file), useRelativePaths: true);
            merged.CurrentContext ??= string.IsNullOrEmpty(part.CurrentContext) ? null : part.CurrentContext;
            AddMissing((List<Cluster>)merged.Clusters, part.Clusters, c => c.Name);
            AddMissing((List<User>)merged.Users, part.Users, u => u.Name);
            AddMissing((List<Context>)merged.Contexts, part.Contexts, c => c.Name);
        }

        return merged;
    }

    private static void AddMissing<T>(List<T> into, IEnumerable<T>? from, Func<T, string> name)
    {
        foreach (T item in from ?? Enumerable.Empty<T>())
        {
            if (!into.Any(existing => name(existing) == name(item)))
            {
                into.Add(item);
            }
        }
    }

    private IReadOnlyList<string> Files(KubernetesTarget target)
    {
        if (!string.IsNullOrEmpty(target.Kubeconfig))
        {
            return new[] { Path.GetFullPath(target.Kubeconfig) };
        }

        string? variable = getEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(variable))
        {
            // kubectl ignores entries that do not exist; so do we, unless none exists.
            string[] listed = variable.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            string[] existing = listed.Where(File.Exists).ToArray();
            return existing.Length > 0 ? existing : listed;
        }

        return File.Exists(defaultKubeconfig) ? new[] { defaultKubeconfig } : Array.Empty<string>();
    }

    /// <summary>
    /// Parser messages may quote the offending text, which can be a token; keep only the kind of
    /// problem and its position.
    /// </summary>
    private static string SafeMessage(Exception ex) => ex switch
    {
        KubeConfigException k => k.Message.TrimEnd('.') + ".",
        YamlDotNet.Core.YamlException y => $"it is not valid YAML (line {y.Start.Line}, column {y.Start.Column}).",
        FileNotFoundException f => $"the file '{f.FileName}' it names does not exist.",
        _ => ex.GetType().Name + ".",
    };
}
