using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using Renku.PowerShell.Kubernetes;

namespace Renku.PowerShell.Commands.Parameters;

/// <summary>Completes -Context with the contexts of the kubeconfig in use (-Kubeconfig or the usual search).</summary>
public sealed class KubernetesContextCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        string? kubeconfig = fakeBoundParameters["Kubeconfig"] as string;
        var pattern = WildcardPattern.Get((wordToComplete ?? string.Empty).Trim('\'', '"') + "*", WildcardOptions.IgnoreCase);
        foreach (string context in KubernetesContexts.List(kubeconfig))
        {
            if (pattern.IsMatch(context))
            {
                string text = context.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '@', '(', ')', ';', ',' }) >= 0 ? "'" + context.Replace("'", "''") + "'" : context;
                yield return new CompletionResult(text, context, CompletionResultType.ParameterValue, context);
            }
        }
    }
}
