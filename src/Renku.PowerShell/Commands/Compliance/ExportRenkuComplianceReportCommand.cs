using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Compliance.Reports;

namespace Renku.PowerShell.Commands.Compliance;

/// <summary>
/// Writes compliance reports as JUnit XML or SARIF 2.1.0 for CI systems, or as a Markdown summary for people (CI job summaries).
/// </summary>
[Cmdlet(VerbsData.Export, "RenkuComplianceReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRenkuComplianceReportCommand : RenkuCmdlet
{
    private readonly List<ComplianceReport> reports = new();

    private string? target;
    private bool? approved;
    private bool written;
    private bool published;

    /// <summary>The reports from Test-RenkuImageCompliance.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public ComplianceReport[] InputObject { get; set; } = Array.Empty<ComplianceReport>();

    /// <summary>JUnit (Azure DevOps PublishTestResults), Sarif (GitHub code scanning) or Markdown (a summary for people; also the CI job summary).</summary>
    [Parameter(Mandatory = true)]
    [ValidateSet("JUnit", "Sarif", "Markdown")]
    public string Format { get; set; } = "JUnit";

    /// <summary>The file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// As on Test-RenkuImageCompliance: the level at which a report fails, so the command ends with
    /// ComplianceFailed once the file is complete. It is also the level of the file's failures
    /// (JUnit failures, the Markdown verdict); without it the file counts errors and the command
    /// does not fail.
    /// </summary>
    [Parameter]
    public ComplianceFailOn FailOn { get; set; } = ComplianceFailOn.Error;

    private bool FailOnGiven => MyInvocation.BoundParameters.ContainsKey(nameof(FailOn));

    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Begin()
    {
        target = ReportFile.Resolve(this, Path, NoClobber.IsPresent);
    }

    /// <summary>
    /// Writes the file again with every report so far. Rewriting per report keeps the file
    /// complete when the pipeline stops early, as it does after the reports when
    /// Test-RenkuImageCompliance -FailOn finds a failure, so the CI system still gets its results.
    /// </summary>
    protected override void Process()
    {
        reports.AddRange(InputObject);
        approved ??= ShouldProcess(target!, $"Write compliance reports as {Format}");
        if (approved == true)
        {
            WriteReports();
        }
    }

    protected override void End()
    {
        if (written && !published)
        {
            published = true;
            try
            {
                foreach (string line in PublishSummary())
                {
                    WriteInformation(new HostInformationMessage { Message = line }, new[] { "PSHOST" });
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                WriteWarning($"The job summary could not be written: {ex.Message}");
            }
        }

        if (approved == true && PassThru)
        {
            WriteObject(new FileInfo(target!));
        }

        List<ComplianceReport> failing = FailOnGiven ? reports.Where(r => r.FailsOn(FailOn)).ToList() : new List<ComplianceReport>();
        if (failing.Count > 0)
        {
            string list = string.Join("; ", failing.Select(r => $"{r.Image} ({string.Join(", ", r.FailuresAt(FailOn).Select(f => f.RuleId))})"));
            string where = approved == true ? $" The reports are in {target}." : string.Empty;
            Refuse(ErrorMap.Record(
                new InvalidOperationException($"{failing.Count} of {reports.Count} image(s) failed Renku compliance at level {FailOn}: {list}.{where}"),
                ErrorIds.ComplianceFailed,
                failing.Select(r => r.Image).ToArray(),
                null,
                null));
        }
    }

    /// <summary>
    /// When the pipeline stopped before End (Test-RenkuImageCompliance -FailOn upstream fails the
    /// step after its reports), the job summary is still published from the complete file; the
    /// pipeline takes no more output, so the Azure command goes straight to the host.
    /// </summary>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || !written || published)
        {
            return;
        }

        published = true;
        try
        {
            foreach (string line in PublishSummary())
            {
                Host?.UI?.WriteLine(line);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or NotImplementedException)
        {
            // Nothing is left to report to: the pipeline already ended with its own error.
        }
    }

    /// <summary>The Markdown summary into the CI system's job summary; returns the lines to print.</summary>
    private IReadOnlyList<string> PublishSummary()
    {
        if (Format != "Markdown")
        {
            return Array.Empty<string>();
        }

        string markdown = MarkdownReportWriter.ForStepSummary(reports, FailOn, Links(), target);
        return StepSummary.Publish(System.Environment.GetEnvironmentVariable, target!, markdown);
    }

    private SourceLinks Links() => SourceLinks.For(System.Environment.GetEnvironmentVariable, System.IO.Path.GetDirectoryName(target));

    private void WriteReports()
    {
        ReportFile.Write(this, target!, Path, partial =>
        {
            if (Format == "JUnit")
            {
                JUnitReportWriter.Write(reports, FailOn, partial);
            }
            else if (Format == "Markdown")
            {
                File.WriteAllText(partial, MarkdownReportWriter.Create(reports, FailOn, Links()), new System.Text.UTF8Encoding(false));
            }
            else
            {
                string version = typeof(ComplianceReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
                SarifReportWriter.Write(reports, version, partial, SessionState.Path.CurrentFileSystemLocation.ProviderPath);
            }
        });
        written = true;
    }
}
