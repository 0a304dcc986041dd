using Renku.PowerShell.Tests.Compliance;

using Xunit;

namespace Renku.PowerShell.Tests.Reports;

/// <summary>
/// A report that cannot be moved into place (here the path names a folder) stops the export cmdlet
/// with ReportPathInvalid, and the half of it written beside the target is gone.
/// </summary>
public class ReportFileTests
{
    [Fact]
    public void AComplianceReportThatCannotBeMovedIntoPlaceLeavesNoPartialFile()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", "FROM debian:12\nUSER 1000\n");
        string folder = Directory.CreateDirectory(Path.Combine(files.Root, "report.xml")).FullName;

        var result = ModuleHost.Run(
            "Test-RenkuImageCompliance -Dockerfile $d | Export-RenkuComplianceReport -Format JUnit -Path $p",
            new Dictionary<string, object?> { ["d"] = dockerfile, ["p"] = folder });

        Assert.Equal(new[] { "ReportPathInvalid,Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand" }, result.ErrorIds);
        Assert.Equal(new[] { "Dockerfile", "report.xml" }, Directory.EnumerateFileSystemEntries(files.Root).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }

    [Fact]
    public void AnEnvironmentReportThatCannotBeMovedIntoPlaceLeavesNoPartialFile()
    {
        using var files = new ComplianceFiles();
        string folder = Directory.CreateDirectory(Path.Combine(files.Root, "environments.html")).FullName;
        var result = ModuleHost.Run(
            "[Renku.PowerShell.EnvironmentReport]@{ Environment = [Renku.PowerShell.GlobalEnvironment]@{ Name = 'Python'; Image = 'python:3.12'; Port = 8888 } } | Export-RenkuEnvironmentReport -Path $p",
            new Dictionary<string, object?> { ["p"] = folder });

        Assert.Equal(new[] { "ReportPathInvalid,Renku.PowerShell.Commands.Reports.ExportRenkuEnvironmentReportCommand" }, result.ErrorIds);
        Assert.Equal(new[] { "environments.html" }, Directory.EnumerateFileSystemEntries(files.Root).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder));
    }
}
