using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Commands.Environments;

/// <summary>
/// What the environment completers share: the connection in use (-Connection, else the current
/// one), the word without its quotes, and the environments read within the completion budget.
/// Completion never throws at the user: no connection, no answer in time or a refusal give no suggestions.
/// </summary>
internal static class EnvironmentCompletion
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(5);

    /// <summary>What <paramref name="complete"/> makes of the environments and the typed prefix.</summary>
    internal static IEnumerable<CompletionResult> Complete(IDictionary fakeBoundParameters, string? wordToComplete, bool includeArchived, Func<IReadOnlyList<GlobalEnvironment>, string, IEnumerable<CompletionResult>> complete)
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
            IReadOnlyList<GlobalEnvironment> environments = new RenkuApiClient(connection).GetEnvironmentsAsync(includeArchived, timeout.Token).GetAwaiter().GetResult();
            return complete(environments, prefix).ToList();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or TimeoutException or RenkuApiException or InvalidOperationException)
        {
            return Array.Empty<CompletionResult>();
        }
    }

    /// <summary>The tooltip of an environment.</summary>
    internal static string Describe(GlobalEnvironment environment) =>
        $"{environment.Name}: {environment.Image} (port {environment.Port}){(environment.IsArchived ? ", archived" : string.Empty)}";
}
