using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>Completes global environment names from the connection in use (quoted when they contain spaces; archived ones for Set and Remove, or with -IncludeArchived).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        // Set and Remove act on archived environments too, so they complete them.
        bool archived = fakeBoundParameters.Contains("IncludeArchived") || commandName is "Set-RenkuGlobalEnvironment" or "Remove-RenkuGlobalEnvironment";
        return EnvironmentCompletion.Complete(fakeBoundParameters, wordToComplete, archived, (environments, prefix) =>
        {
            var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
            return environments
                .Where(e => pattern.IsMatch(e.Name))
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .Select(e => new CompletionResult(Quote(e.Name), e.Name, CompletionResultType.ParameterValue, EnvironmentCompletion.Describe(e)));
        });
    }

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
}
