using System.Management.Automation;

using Renku.PowerShell.Tests.Compliance;

using Xunit;

namespace Renku.PowerShell.Tests.Core;

/// <summary>
/// The one path resolver, through cmdlets that take each kind of path: an existing file
/// (Test-RenkuImageCompliance -Dockerfile), files or folders by pattern or literally
/// (Get-RenkuImage -Path/-LiteralPath), and a file to write (Export-RenkuComplianceReport -Path).
/// </summary>
public sealed class ProviderPathsTests : IDisposable
{
    private const string Compliance = ",Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand";
    private const string Image = ",Renku.PowerShell.Commands.Images.GetRenkuImageCommand";
    private const string Export = ",Renku.PowerShell.Commands.Compliance.ExportRenkuComplianceReportCommand";

    private readonly ComplianceFiles files = new();

    public ProviderPathsTests()
    {
        files.Write("Dockerfile", "FROM debian:12\nUSER 1000\n");
        Directory.CreateDirectory(Path.Combine(files.Root, "folder"));
    }

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData("$null = $ExecutionContext.SessionState.Path.SetLocation([Management.Automation.WildcardPattern]::Escape($root)); Test-RenkuImageCompliance -Dockerfile Dockerfile")]
    [InlineData("$null = $ExecutionContext.SessionState.Path.SetLocation([Management.Automation.WildcardPattern]::Escape($root)); Test-RenkuImageCompliance -Dockerfile ./folder/../Dockerfile")]
    [InlineData("$ExecutionContext.SessionState.Provider.GetOne('FileSystem').Home = $root; Test-RenkuImageCompliance -Dockerfile ~/Dockerfile")]
    [InlineData("$null = $ExecutionContext.SessionState.Drive.New([Management.Automation.PSDriveInfo]::new('RenkuPathTest', $ExecutionContext.SessionState.Provider.GetOne('FileSystem'), $root, '', $null), 'global'); Test-RenkuImageCompliance -Dockerfile RenkuPathTest:/Dockerfile")]
    [InlineData("$null = $ExecutionContext.SessionState.Drive.New([Management.Automation.PSDriveInfo]::new('RenkuPathTest', $ExecutionContext.SessionState.Provider.GetOne('FileSystem'), $root, '', $null), 'global'); $null = $ExecutionContext.SessionState.Path.SetLocation('RenkuPathTest:/folder'); Test-RenkuImageCompliance -Dockerfile ../Dockerfile")]
    public void AFileIsFoundThroughTheProvider(string script)
    {
        // The process's own folder is elsewhere: only PowerShell's location, ~ and the drive lead to the file.
        Assert.NotEqual(Path.GetFullPath(files.Root), Path.GetFullPath(Environment.CurrentDirectory));
        var result = Run(script).ShouldSucceed();
        Assert.Single(result.Output);
    }

    [Theory]
    [InlineData("Test-RenkuImageCompliance -Dockerfile Env:/PATH", "Environment provider")]
    [InlineData("$null = $ExecutionContext.SessionState.Path.SetLocation('Variable:'); Test-RenkuImageCompliance -Dockerfile Dockerfile", "Variable provider")]
    [InlineData("Test-RenkuImageCompliance -Dockerfile ([IO.Path]::Combine($root, 'missing'))", "does not exist")]
    [InlineData("Test-RenkuImageCompliance -Dockerfile ([IO.Path]::Combine($root, 'folder'))", "is a folder")]
    [InlineData("Test-RenkuImageCompliance -Dockerfile NoSuchDrive:/Dockerfile", "cannot be resolved")]
    public void AFileThatIsNotThereOrNotAFileIsItsParametersError(string script, string said)
    {
        var result = Run(script);
        Assert.Equal(new[] { "DockerfileNotFound" + Compliance }, result.ErrorIds);
        ErrorRecord record = Assert.Single(result.Errors);
        Assert.Contains(said, record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(record.ErrorDetails.RecommendedAction));
        Assert.Empty(result.Output);
    }

    [Fact]
    public void PathExpandsWildcardsAndLiteralPathDoesNot()
    {
        string a = files.Write("a.tar", "not an archive");
        string b = files.Write("b.tar", "not an archive");
        string bracket = files.Write("[x].tar", "not an archive");

        // Every match is read (and is no archive): one error each, naming the file it resolved to.
        var all = Run("Get-RenkuImage -Path ([IO.Path]::Combine($root, '*.tar'))");
        Assert.Equal(3, all.Errors.Count);
        Assert.All(all.Errors, e => Assert.Equal("InvalidImageArchive" + Image, e.FullyQualifiedErrorId));
        Assert.Equal(new[] { a, b, bracket }.Order(StringComparer.Ordinal), all.Errors.Select(e => (string)e.TargetObject).Order(StringComparer.Ordinal));

        var literal = Run("Get-RenkuImage -LiteralPath ([IO.Path]::Combine($root, '[x].tar'))");
        Assert.Equal(bracket, (string)Assert.Single(literal.Errors).TargetObject);
        Assert.Equal("InvalidImageArchive" + Image, literal.Errors[0].FullyQualifiedErrorId);

        // As a pattern, [x] is the character x: x.tar, which does not exist.
        var pattern = Run("Get-RenkuImage -Path ([IO.Path]::Combine($root, '[x].tar'))");
        Assert.Equal(new[] { "ImageArchiveNotFound" + Image }, pattern.ErrorIds);

        var none = Run("Get-RenkuImage -Path ([IO.Path]::Combine($root, 'none*.tar')), ([IO.Path]::Combine($root, 'a.tar'))");
        Assert.Equal(new[] { "ImageArchiveNotFound" + Image, "InvalidImageArchive" + Image }, none.ErrorIds);
        Assert.Contains("No image archive or OCI layout matches", none.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);

        // A folder is an OCI layout to read (this one is empty), not a path that is missing.
        string folder = Path.Combine(files.Root, "folder");
        var layout = Run("Get-RenkuImage -LiteralPath ([IO.Path]::Combine($root, 'folder'))");
        ErrorRecord unreadable = Assert.Single(layout.Errors);
        Assert.NotEqual("ImageArchiveNotFound" + Image, unreadable.FullyQualifiedErrorId);
        Assert.Equal(folder, (string)unreadable.TargetObject);

        var other = Run("Get-RenkuImage -LiteralPath Env:/PATH");
        Assert.Equal(new[] { "ImageArchiveNotFound" + Image }, other.ErrorIds);
        Assert.IsType<ArgumentException>(other.Errors[0].Exception);
    }

    [Fact]
    public void AFileToWriteIsRelativeToTheLocationAndOnTheFileSystem()
    {
        const string report = "Test-RenkuImageCompliance -Dockerfile ([IO.Path]::Combine($root, 'Dockerfile')) | Export-RenkuComplianceReport -Format JUnit ";
        Run("$null = $ExecutionContext.SessionState.Path.SetLocation([Management.Automation.WildcardPattern]::Escape([IO.Path]::Combine($root, 'folder'))); " + report + "-Path out.xml").ShouldSucceed();
        Assert.True(File.Exists(Path.Combine(files.Root, "folder", "out.xml")));

        var other = Run(report + "-Path Env:/out.xml");
        Assert.Equal(new[] { "ReportPathInvalid" + Export }, other.ErrorIds);
        Assert.Contains("Environment provider", other.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);

        var folder = Run(report + "-Path ([IO.Path]::Combine($root, 'folder'))");
        Assert.Equal(new[] { "ReportPathInvalid" + Export }, folder.ErrorIds);
        Assert.Contains("is a folder", folder.Errors[0].ErrorDetails.Message, StringComparison.Ordinal);
    }

    private PowerShellResult Run(string script) => ModuleHost.Run(script, new Dictionary<string, object?> { ["root"] = files.Root });
}
