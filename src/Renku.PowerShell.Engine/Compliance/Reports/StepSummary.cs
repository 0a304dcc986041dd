using System.Text;

namespace Renku.PowerShell.Compliance.Reports;

/// <summary>
/// Puts a Markdown summary where the CI system shows it on the run's page: appended to the file
/// GitHub Actions names in <c>GITHUB_STEP_SUMMARY</c>, and in Azure Pipelines (<c>TF_BUILD</c>)
/// attached with the <c>##vso[task.uploadsummary]</c> logging command, which the agent reads
/// from the file after the command is printed.
/// </summary>
public static class StepSummary
{
    /// <summary>
    /// Appends <paramref name="markdown"/> to the GitHub job summary when there is one, and returns
    /// the lines to print for Azure Pipelines (none elsewhere). <paramref name="markdownFile"/> is
    /// the complete summary already written, the file Azure attaches.
    /// </summary>
    /// <exception cref="IOException">The GitHub summary file could not be written.</exception>
    public static IReadOnlyList<string> Publish(Func<string, string?> getVariable, string markdownFile, string markdown)
    {
        ArgumentNullException.ThrowIfNull(getVariable);
        if (getVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } summary)
        {
            // The summary may hold what earlier steps' commands wrote: add a section after it.
            string separator = File.Exists(summary) && new FileInfo(summary).Length > 0 ? "\n" : string.Empty;
            File.AppendAllText(summary, separator + markdown, new UTF8Encoding(false));
        }

        if (CiAnnotations.Detect(getVariable) == "AzurePipelines")
        {
            return new[] { "##vso[task.uploadsummary]" + CiAnnotations.AzureData(Path.GetFullPath(markdownFile)) };
        }

        return Array.Empty<string>();
    }
}
