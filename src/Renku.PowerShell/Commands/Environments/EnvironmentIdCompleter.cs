using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>Completes global environment ids from the connection in use, by the id's start or the environment's name (archived ones included).</summary>
public sealed class EnvironmentIdCompleter : IArgumentCompleter
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        RenkuConnection? connection = fakeBoundParameters["Connection"] as RenkuConnection ?? ConnectionStore.Current;
        if (connection is null || !connection.IsOpen)
        {
            return Array.Empty<CompletionResult>();
        }

        string prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        try
        {
            using var timeout = new CancellationTokenSource(Budget);
            var environments = new RenkuApiClient(connection).GetEnvironmentsAsync(true, timeout.Token).GetAwaiter().GetResult();
            var pattern = new WildcardPattern(WildcardPattern.Escape(prefix) + "*", WildcardOptions.IgnoreCase);
            return environments
                .Where(e => pattern.IsMatch(e.Id) || pattern.IsMatch(e.Name))
                .OrderBy(e => e.Name, StringComparer.OrdinalIgnoreCase)
                .Select(e => new CompletionResult(e.Id, $"{e.Id} ({e.Name})", CompletionResultType.ParameterValue, $"{e.Name}: {e.Image} (port {e.Port}){(e.IsArchived ? ", archived" : string.Empty)}"))
                .ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or RenkuApiException or InvalidOperationException)
        {
            // Completion must never throw at the user; no suggestions is the honest answer.
            return Array.Empty<CompletionResult>();
        }
    }
}
