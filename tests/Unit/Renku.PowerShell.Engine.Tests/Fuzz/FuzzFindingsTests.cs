using System.Diagnostics;
using System.Text;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Builds;
using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Images.Layers;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Fuzz;

/// <summary>
/// Inputs that once ended in an untyped exception, a hang or a blown memory budget, each kept as
/// an ordinary case with the typed answer it must give now.
/// </summary>
public sealed class FuzzFindingsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-fuzz-findings-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string Write(string name, string text) => Write(name, Encoding.UTF8.GetBytes(text));

    [Fact]
    public void AnUnclosedFlowListRunningIntoAKeyIsAYamlErrorWithItsLine()
    {
        string path = Write("unclosed.yaml", "environments:\n- name: A\n  container_image: [unclosed\n  port: 8888\n");
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(path));
        Assert.Equal(3, error.Line);
        Assert.Contains("the YAML is not valid", error.Message);
        Assert.Contains("'['", error.Message);
        Assert.DoesNotContain("current state of the object", error.Message);
    }

    [Fact]
    public void AGlobalTagThatIsNotAUriIsAYamlError()
    {
        string path = Write("tag.yaml", "environments:\n  - name: !!+z:8\0 8\0\u0010 14:\n");
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(path));
        Assert.Contains("tag", error.Message);
        Assert.DoesNotContain("Parameter", error.Message);
    }

    [Fact]
    public void ALoneSurrogateEscapeInJsonIsAJsonErrorWithItsLine()
    {
        string path = Write("surrogate.json", "{\n  \"environments\": [\n    { \"name\": \"\\ud800\", \"container_image\": \"busybox\" }\n  ]\n}\n");
        var error = Assert.Throws<EnvironmentFileException>(() => EnvironmentFile.ReadItems(path));
        Assert.Equal(3, error.Line);
        Assert.Contains("surrogate", error.Message);
        Assert.DoesNotContain("Cannot read incomplete", error.Message);
    }

    [Theory]
    [InlineData("\"os\": 5, \"architecture\": \"amd64\"", "os is number")]
    [InlineData("\"os\": \"linux\", \"architecture\": [\"amd64\"]", "architecture is array")]
    [InlineData("\"os\": \"\\udc00\", \"architecture\": \"amd64\"", "not text")]
    public void AnIndexWhosePlatformIsNotTextIsARegistryError(string platform, string expected)
    {
        byte[] index = Encoding.UTF8.GetBytes("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"sha256:" + new string('a', 64) + "\",\"size\":1,\"platform\":{" + platform + "}}]}");
        var error = Assert.Throws<RegistryException>(() => ManifestDocument.Parse(index, null, Digests.Sha256(index), "lab:1.0"));
        Assert.Equal(RegistryErrorKind.InvalidResponse, error.Kind);
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task AnArchiveWhoseIndexPlatformIsANumberIsARegistryError()
    {
        TestImage image = SampleImages.Small("linux/amd64");
        string layout = Path.Combine(directory, "layout");
        image.WriteLayout(layout, "lab:1.0");
        var entry = image.Manifest.Descriptor();
        entry["platform"] = new Dictionary<string, object?> { ["os"] = 5, ["architecture"] = "amd64" };
        File.WriteAllBytes(Path.Combine(layout, "index.json"), TestImage.Json(new Dictionary<string, object?> { ["schemaVersion"] = 2, ["manifests"] = new[] { entry } }));
        using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
        var error = await Assert.ThrowsAsync<RegistryException>(() => inspector.InspectArchiveAsync(layout));
        Assert.Contains("platform whose os is number", error.Message);
    }

    [Theory]
    [InlineData("{\"exp\":\"soon\"}")]
    [InlineData("{\"exp\":99999999999999999}")]
    [InlineData("[1,2]")]
    [InlineData("{\"exp\":1e3}")]
    public void AJwtWithoutAUsableExpiryHasNoExpiry(string payload)
    {
        string token = "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".";
        Assert.Null(JwtClaims.Expiry(token));
    }

    [Fact]
    public void ADockerfileThatIsNotUtf8IsADockerfileErrorWithItsLine()
    {
        string path = Write("Dockerfile", new byte[] { (byte)'F', (byte)'R', (byte)'O', (byte)'M', (byte)' ', (byte)'a', (byte)'\n', (byte)'R', (byte)'U', (byte)'N', (byte)' ', 0xFF, (byte)'\n' });
        var error = Assert.Throws<DockerfileException>(() => UpgradeInputReader.FromDockerfile(path));
        Assert.Equal(2, error.Line);
        Assert.Contains("not UTF-8", error.Message);
    }

    [Fact]
    public void ADockerignorePatternWithManyStarsMatchesInLinearTime()
    {
        DockerIgnore ignore = DockerIgnore.Parse(string.Concat(Enumerable.Repeat("*a", 40)) + "b\n");
        var watch = Stopwatch.StartNew();
        Assert.False(ignore.IsExcluded(new string('a', 5000)));
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task ALayerWhoseTarHeaderDeclaresMoreThanItHoldsIsARegistryError()
    {
        byte[] header = new byte[512];
        Encoding.ASCII.GetBytes("etc/passwd").CopyTo(header, 0);
        Encoding.ASCII.GetBytes("0000644\0").CopyTo(header, 100);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 108);
        Encoding.ASCII.GetBytes("0000000\0").CopyTo(header, 116);
        Encoding.ASCII.GetBytes("77777777777\0").CopyTo(header, 124);
        Encoding.ASCII.GetBytes("00000000000\0").CopyTo(header, 136);
        header[156] = (byte)'0';
        Encoding.ASCII.GetBytes("ustar\0").CopyTo(header, 257);
        Encoding.ASCII.GetBytes("00").CopyTo(header, 263);
        Encoding.ASCII.GetBytes("        ").CopyTo(header, 148);
        int sum = header.Sum(b => b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(header, 148);
        byte[] layer = header.Concat(new byte[1536]).ToArray();
        var layers = new[] { new ImageLayer { Index = 0, Digest = Digests.Sha256(layer), Size = layer.Length } };
        var reader = new LayeredFileReader(layers, (_, _) => Task.FromResult<Stream>(new MemoryStream(layer)), null);
        var error = await Assert.ThrowsAsync<RegistryException>(() => reader.ReadAsync(new[] { "/etc/passwd", "/etc/group" }, Array.Empty<string>(), Array.Empty<string>(), CancellationToken.None));
        Assert.Contains("not a readable tar", error.Message);
    }

    [Theory]
    [InlineData("3.0.0-rc2.333333333333333333333333d1.0")]
    [InlineData("1.0-a1111111111111111111111111111111111x")]
    public void APrereleaseWithALongRunOfDigitsIsReadInLinearTime(string tag)
    {
        var watch = Stopwatch.StartNew();
        TagVersion version = TagVersion.Parse(tag);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(tag, version.Tag);
    }

    [Fact]
    public void ABuildNumberInDigitsOfAnotherScriptIsNotAVersion()
    {
        TagVersion version = TagVersion.Parse("1.0_\u07c0");
        Assert.False(version.IsVersion && version.Build is not null);
        Assert.NotNull(UpgradeSelector.Analyze(TagVersion.Parse("1.0"), new[] { "1.0_\u07c0", "1.1" }, new UpgradePolicy()));
    }

    [Theory]
    [InlineData("docker.io/my.org/app:1.0", "docker.io/my.org/app:1.0")]
    [InlineData("docker.io/localhost/app", "docker.io/localhost/app:latest")]
    [InlineData("docker.io/team/app:1.0", "team/app:1.0")]
    [InlineData("docker.io/library/python", "python:latest")]
    public void AFamiliarNameReadsBackAsTheSameImage(string written, string familiar)
    {
        ImageReference reference = ImageReference.Parse(written);
        Assert.Equal(familiar, reference.FamiliarName);
        Assert.Equal(reference, ImageReference.Parse(reference.FamiliarName));
    }

    [Theory]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("tab at the end\t")]
    [InlineData(" leading space")]
    [InlineData("true")]
    public void AnExportedNameThatYamlWouldReadAsSomethingElseReadsBackAsWritten(string name)
    {
        string path = Path.Combine(directory, "environments.yaml");
        EnvironmentFile.Write(path, new[] { new GlobalEnvironment { Id = "01J8", Name = name, Image = "python:3.12", DefaultUrl = "/", Port = 8888, Uid = 1000, Gid = 1000 } });
        Assert.Equal(name, Assert.Single(EnvironmentFile.ReadItems(path)).Spec.Name);
    }

    [Fact]
    public void AnEscapedUnderscoreInADockerignorePatternIsAnUnderscore()
    {
        DockerIgnore ignore = DockerIgnore.Parse("a\\_b*\n");
        Assert.True(ignore.IsExcluded("a_bc"));
        Assert.False(ignore.IsExcluded("abc"));
    }

    [Theory]
    [InlineData("a\\Gb")]
    [InlineData("(a)\\1*")]
    public void ADockerignoreEscapeGoCannotMatchIsAnInvalidLine(string line)
    {
        var error = Assert.Throws<DockerIgnoreException>(() => DockerIgnore.Parse("ok\n" + line + "\n"));
        Assert.Equal(2, error.Line);
    }
}
