using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>Completes global environment names from the connection in use (quoted when they contain spaces; archived ones for Set and Remove, or with -IncludeArchived).</summary>
public sealed class EnvironmentNameCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        RenkuConnection? connection = fakeBoundParameters["Connection"] as RenkuConnection ?? ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            return Array.Empty<CompletionResult>();
        }

        // Set and Remove act on archived environments too, so they complete them.
        bool archived = fakeBoundParameters.Contains("IncludeArchived") || commandName is "Set-RenkuGlobalEnvironment" or "Remove-RenkuGlobalEnvironment";
        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        try
        {
            using var timeout = new CancellationTokenSource(Budget);
            var environments = new RenkuApiClient(connection).GetEnvironmentsAsync(archived, timeout.Token).GetAwaiter().GetResult();
            var pattern = new WildcardPattern(prefix + "*", WildcardOptions.IgnoreCase);
            return environments
                .Where(e => pattern.IsMatch(e.Name))
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .Select(e => new CompletionResult(Quote(e.Name), e.Name, CompletionResultType.ParameterValue, $"{e.Name}: {e.Image} (port {e.Port}){(e.IsArchived ? ", archived" : string.Empty)}"))
                .ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or RenkuApiException or InvalidOperationException)
        {
            // Completion must never throw at the user; no suggestions is the honest answer.
            return Array.Empty<CompletionResult>();
        }
    }

    private static string Quote(string name) =>
        name.IndexOfAny(new[] { ' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '|', '@', '#' }) >= 0 ? "'" + name.Replace("'", "''") + "'" : name;
}
