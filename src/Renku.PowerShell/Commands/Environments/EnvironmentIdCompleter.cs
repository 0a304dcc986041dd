using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>Completes global environment ids from the connection in use, by the id's start or the environment's name (archived ones included).</summary>
public sealed class EnvironmentIdCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters) =>
        EnvironmentCompletion.Complete(fakeBoundParameters, wordToComplete, includeArchived: true, (environments, prefix) =>
        {
            var pattern = new WildcardPattern(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase);
            return environments
                .Where(e => pattern.IsMatch(e.Id) || pattern.IsMatch(e.Name))
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .Select(e => new CompletionResult(e.Id, $"{e.Id} ({e.Name})", CompletionResultType.ParameterValue, EnvironmentCompletion.Describe(e)));
        });
}
