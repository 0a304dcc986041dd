using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Which Kubernetes cluster, context and namespace a cmdlet uses.</summary>
public interface IClusterTargetParameters : IParameterGroup
{
    /// <inheritdoc cref="ClusterTargetParameters.Namespace"/>
    string? Namespace { get; }

    /// <inheritdoc cref="ClusterTargetParameters.Kubeconfig"/>
    string? Kubeconfig { get; }

    /// <inheritdoc cref="ClusterTargetParameters.Context"/>
    string? Context { get; }
}

/// <summary>The template of <see cref="IClusterTargetParameters"/>: the one declaration every cmdlet taking the group repeats.</summary>
internal sealed class ClusterTargetParameters : IClusterTargetParameters
{
    /// <summary>The namespace (default: the context's).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Namespace { get; set; }

    /// <summary>The kubeconfig file (default: KUBECONFIG, ~/.kube/config, in-cluster).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Kubeconfig { get; set; }

    /// <summary>The kubeconfig context (default: the current one).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(KubernetesContextCompleter))]
    public string? Context { get; set; }
}

/// <summary>Turns the cluster target parameters into the engine's Kubernetes target.</summary>
internal static class ClusterTarget
{
    /// <summary>True when any of the group's parameters was given.</summary>
    internal static bool ClusterTargetGiven(this IClusterTargetParameters parameters) =>
        parameters.Namespace is not null || parameters.Kubeconfig is not null || parameters.Context is not null;

    private static readonly PathRole KubeconfigPath = new(PathKind.File, "kubeconfig file", ErrorIds.KubernetesConfigurationInvalid, Advice: "Check the path given with -Kubeconfig (relative to the current location).");

    /// <summary>The target, with the kubeconfig path resolved against the cmdlet's current location; a kubeconfig that is not there stops the cmdlet.</summary>
    internal static KubernetesTarget ToKubernetesTarget<TCmdlet>(this TCmdlet cmdlet)
        where TCmdlet : RenkuCmdlet, IClusterTargetParameters
    {
        string? kubeconfig = null;
        if (cmdlet.Kubeconfig is not null && !ProviderPaths.TryOne(cmdlet, cmdlet.Kubeconfig, literal: true, KubeconfigPath, out kubeconfig, out ErrorRecord? error))
        {
            cmdlet.Refuse(error);
        }

        return new KubernetesTarget { Kubeconfig = kubeconfig, Context = cmdlet.Context, Namespace = cmdlet.Namespace };
    }

    /// <summary>What to name as the target of an error about the cluster.</summary>
    internal static object? ClusterErrorTarget(this IClusterTargetParameters parameters) =>
        parameters.Kubeconfig ?? parameters.Context ?? parameters.Namespace;
}
