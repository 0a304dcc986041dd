using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;
using Renku.PowerShell.Reports;

namespace Renku.PowerShell.Commands.Reports;

/// <summary>
/// Writes the environment report as one self-contained HTML page.
/// </summary>
[Cmdlet(VerbsData.Export, "RenkuEnvironmentReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportRenkuEnvironmentReportCommand : RenkuCmdlet
{
    private readonly List<EnvironmentReport> rows = new();
    private string? target;

    /// <summary>The rows from Get-RenkuEnvironmentReport.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    [ValidateNotNull]
    public EnvironmentReport[] InputObject { get; set; } = Array.Empty<EnvironmentReport>();

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    [Parameter]
    public SwitchParameter PassThru { get; set; }

    protected override void Begin()
    {
        target = ReportFile.Resolve(this, Path, NoClobber.IsPresent);
    }

    protected override void Process() => rows.AddRange(InputObject);

    protected override void End()
    {
        if (!ShouldProcess(target!, $"Write the report of {rows.Count} environment(s) as HTML"))
        {
            return;
        }

        // The deployment the rows were read from, named on the page.
        string? source = string.Join(", ", rows.Select(r => r.Environment.ApiUri).OfType<Uri>().Select(u => u.GetLeftPart(UriPartial.Authority)).Distinct(StringComparer.OrdinalIgnoreCase));
        string version = typeof(EnvironmentReport).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";
        ReportFile.Write(this, target!, Path, partial => HtmlReportWriter.Write(rows, source.Length == 0 ? null : source, DateTimeOffset.UtcNow, version, partial));

        if (PassThru)
        {
            WriteObject(new FileInfo(target!));
        }
    }
}
