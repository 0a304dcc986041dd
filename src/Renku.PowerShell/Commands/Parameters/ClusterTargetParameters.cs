using System.Management.Automation;

using Renku.PowerShell.Kubernetes;

using Renku.PowerShell.Commands.Core;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Which Kubernetes cluster, context and namespace a cmdlet uses.</summary>
public sealed class ClusterTargetParameters : ParameterGroup
{
    /// <param name="parameterSets">The cmdlet\'s parameter sets these parameters belong to; none for all.</param>
    public ClusterTargetParameters(params string[] parameterSets)
        : base(parameterSets)
    {
    }

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

    /// <summary>True when any of the group's parameters was given.</summary>
    internal bool AnyGiven => Namespace is not null || Kubeconfig is not null || Context is not null;

    private static readonly PathRole KubeconfigPath = new(PathKind.File, "kubeconfig file", ErrorIds.KubernetesConfigurationInvalid, Advice: "Check the path given with -Kubeconfig (relative to the current location).");

    /// <summary>The target, with the kubeconfig path resolved against the current location; a kubeconfig that is not there stops the cmdlet.</summary>
    internal KubernetesTarget ToTarget(RenkuCmdlet cmdlet)
    {
        string? kubeconfig = null;
        if (Kubeconfig is not null && !ProviderPaths.TryOne(cmdlet, Kubeconfig, literal: true, KubeconfigPath, out kubeconfig, out ErrorRecord? error))
        {
            cmdlet.Refuse(error);
        }

        return new KubernetesTarget { Kubeconfig = kubeconfig, Context = Context, Namespace = Namespace };
    }

    /// <summary>What to name as the target of an error about the cluster.</summary>
    internal object? ErrorTarget => Kubeconfig ?? Context ?? Namespace;
}
