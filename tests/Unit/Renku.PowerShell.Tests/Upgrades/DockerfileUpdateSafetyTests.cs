using System.Text;

using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Tests.Upgrades;

/// <summary>
/// Update-RenkuImageTag on a Dockerfile edited between the audit and the update: the file is not
/// touched, no row says Applied, and nothing is left beside it.
/// </summary>
public sealed class DockerfileUpdateSafetyTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-update-safety-").FullName;

    /// <summary>A registry with the tags 1.0.0 and 1.1.0 of <c>base</c>, and no manifests (no digest is needed without -PinDigest).</summary>
    private readonly HostileHttpServer registry = HostileHttpServer.Start(request => request.Path.EndsWith("/tags/list", StringComparison.Ordinal)
        ? HostileReply.Answer(200, Encoding.UTF8.GetBytes("{\"name\":\"base\",\"tags\":[\"1.0.0\",\"1.1.0\"]}"), new Dictionary<string, string> { ["Content-Type"] = "application/json" })
        : HostileReply.Answer(404, Array.Empty<byte>()));

    public void Dispose()
    {
        registry.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("FROM {0}/base:1.0.0-mine\nRUN echo hi\n")]
    [InlineData("FROM {0}/base:1.0.0\nRUN echo changed\n")]
    public void AFileEditedAfterTheAuditIsNotTouched(string edit)
    {
        string dockerfile = Path.Combine(directory, "Dockerfile");
        File.WriteAllText(dockerfile, $"FROM {registry.Host}/base:1.0.0\nRUN echo hi\n");
        string edited = string.Format(System.Globalization.CultureInfo.InvariantCulture, edit, registry.Host);

        var result = ModuleHost.Run(
            "$rows = Get-RenkuImageUpgrade -LiteralPath $file; [IO.File]::WriteAllText($file, $edited); $rows | Update-RenkuImageTag -Confirm:$false",
            new Dictionary<string, object?> { ["file"] = dockerfile, ["edited"] = edited });

        Assert.StartsWith("ImageTagUpdateFailed,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.DoesNotContain(result.Output, o => o.Properties["Applied"]?.Value is true);
        Assert.Equal(edited, File.ReadAllText(dockerfile));
        Assert.Equal(new[] { "Dockerfile" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void AnUnchangedFileIsUpdatedAndNothingIsLeftBeside()
    {
        string dockerfile = Path.Combine(directory, "Dockerfile");
        File.WriteAllText(dockerfile, $"FROM {registry.Host}/base:1.0.0\nRUN echo hi\n");
        var result = ModuleHost.Run("Get-RenkuImageUpgrade -LiteralPath $file | Update-RenkuImageTag -Confirm:$false", new Dictionary<string, object?> { ["file"] = dockerfile }).ShouldSucceed();
        Assert.True((bool)Assert.Single(result.Output).Properties["Applied"].Value);
        Assert.Equal($"FROM {registry.Host}/base:1.1.0\nRUN echo hi\n", File.ReadAllText(dockerfile));
        Assert.Equal(new[] { "Dockerfile" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }
}
