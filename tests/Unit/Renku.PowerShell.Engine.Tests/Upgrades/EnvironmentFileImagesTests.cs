using System.Text;

using Renku.PowerShell.Environments;
using Renku.PowerShell.Upgrades;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

/// <summary>
/// Golden tests of environments files as upgrade targets: one input per entry, and a rewrite that
/// changes only the characters of the images (comments, key order, quoting, anchors, line endings
/// and a byte-order mark stay byte for byte).
/// </summary>
public sealed class EnvironmentFileImagesTests : IDisposable
{
    private static readonly byte[] Bom = { 0xEF, 0xBB, 0xBF };

    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-envfiles-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", false)]
    [InlineData("\n", true)]
    [InlineData("\r\n", true)]
    public void YamlKeepsEverythingButTheTags(string eol, bool bom)
    {
        string original = string.Join(eol, new[]
        {
            "# Global environments of the lab (edited by hand)",
            "environments:",
            "  - name: Python / JupyterLab   # the default",
            "    port: 8888",
            "    container_image: ghcr.io/team/py:1.0.0   # pinned",
            "  - container_image: 'ghcr.io/team/r:2.1.0'",
            "    name: 'RStudio – Ümlaut'",
            "    description: \"Zürich \\u00e9\"",
            "  - name: \"Shared\"",
            "    container_image: &shared \"ghcr.io/team/shared:3.0.0\"",
            "  - name: Shared again",
            "    container_image: *shared",
            "    command: [bash, -c]",
            string.Empty,
        });
        string path = Write("environments.yaml", original, bom);

        IReadOnlyList<UpgradeInput> inputs = EnvironmentFileImages.Read(path);

        Assert.Equal(new[] { "ghcr.io/team/py:1.0.0", "ghcr.io/team/r:2.1.0", "ghcr.io/team/shared:3.0.0", "ghcr.io/team/shared:3.0.0" }, inputs.Select(i => i.Image));
        Assert.Equal(new[] { "Python / JupyterLab", "RStudio – Ümlaut", "Shared", "Shared again" }, inputs.Select(i => i.EnvironmentName));
        Assert.Equal(new[] { 5, 6, 10, 12 }, inputs.Select(i => i.Line!.Value));
        Assert.All(inputs, i => Assert.Equal(UpgradeSourceKind.EnvironmentFile, i.SourceKind));
        Assert.Equal(new[] { 5, 6, 10, 10 }, inputs.Select(i => i.Site!.Line));

        EnvironmentFileImages.Apply(path, inputs[0].ContentDigest!, inputs.Select(i => (i.Site!, ImageText.WithTag(i.Site!.Text, Bump(i.Image)))));

        string expected = original.Replace("py:1.0.0", "py:1.1.0", StringComparison.Ordinal)
            .Replace("r:2.1.0", "r:2.2.0", StringComparison.Ordinal)
            .Replace("shared:3.0.0", "shared:3.1.0", StringComparison.Ordinal);
        Assert.Equal(Bytes(expected, bom), File.ReadAllBytes(path));
        Assert.Equal(new[] { "environments.yaml" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));

        // The file is still one Sync reads, and it asks for the new images.
        Assert.Equal(new[] { "ghcr.io/team/py:1.1.0", "ghcr.io/team/r:2.2.0", "ghcr.io/team/shared:3.1.0", "ghcr.io/team/shared:3.1.0" }, EnvironmentFile.Read(path).Select(s => s.Image));
    }

    [Theory]
    [InlineData("\n", false)]
    [InlineData("\r\n", true)]
    public void JsonKeepsEverythingButTheTags(string eol, bool bom)
    {
        string original = string.Join(eol, new[]
        {
            "{",
            "  // lab environments",
            "  \"environments\": [",
            "    { \"description\": \"Grüezi ✓\", \"name\": \"Python\", \"container_image\": \"ghcr.io/team/py:1.0.0\", \"command\": [\"a\", \"b\"] },",
            "    {",
            "      \"name\": \"R\",",
            "      \"port\": 8787,",
            "      \"container_image\":\"ghcr.io/team/r:2.1.0\"",
            "    },",
            "    { \"name\": \"Escaped\", \"container_image\": \"ghcr.io\\/team\\/esc:1.0.0\" },",
            "  ]",
            "}",
            string.Empty,
        });
        string path = Write("environments.json", original, bom);

        IReadOnlyList<UpgradeInput> inputs = EnvironmentFileImages.Read(path);

        Assert.Equal(new[] { "ghcr.io/team/py:1.0.0", "ghcr.io/team/r:2.1.0", "ghcr.io/team/esc:1.0.0" }, inputs.Select(i => i.Image));
        Assert.Equal(new[] { "Python", "R", "Escaped" }, inputs.Select(i => i.EnvironmentName));
        Assert.Equal(new[] { 4, 8, 10 }, inputs.Select(i => i.Line!.Value));
        Assert.Null(inputs[2].Site);

        EnvironmentFileImages.Apply(path, inputs[0].ContentDigest!, inputs.Take(2).Select(i => (i.Site!, ImageText.WithTag(i.Site!.Text, Bump(i.Image)))));

        string expected = original.Replace("py:1.0.0", "py:1.1.0", StringComparison.Ordinal).Replace("r:2.1.0", "r:2.2.0", StringComparison.Ordinal);
        Assert.Equal(Bytes(expected, bom), File.ReadAllBytes(path));
    }

    [Fact]
    public void AFileEditedSinceTheAuditIsNotTouched()
    {
        string path = Write("environments.yml", "environments:\n  - name: A\n    container_image: team/a:1.0.0\n", bom: false);
        UpgradeInput input = Assert.Single(EnvironmentFileImages.Read(path));
        string edited = "environments:\n  - name: A\n    container_image: team/a:1.0.0\n    port: 9000\n";
        File.WriteAllText(path, edited);

        Assert.Throws<InvalidOperationException>(() => EnvironmentFileImages.Apply(path, input.ContentDigest!, new[] { (input.Site!, "team/a:1.1.0") }));

        Assert.Equal(edited, File.ReadAllText(path));
        Assert.Equal(new[] { "environments.yml" }, Directory.GetFileSystemEntries(directory).Select(Path.GetFileName));
    }

    [Fact]
    public void AnAnchorWhoseEntriesDisagreeIsNotTouched()
    {
        string original = "environments:\n  - name: A\n    container_image: &img team/a:1.0.0\n  - name: B\n    container_image: *img\n";
        string path = Write("environments.yaml", original, bom: false);
        IReadOnlyList<UpgradeInput> inputs = EnvironmentFileImages.Read(path);

        Assert.Throws<InvalidOperationException>(() => EnvironmentFileImages.Apply(path, inputs[0].ContentDigest!, new[] { (inputs[0].Site!, "team/a:1.1.0"), (inputs[1].Site!, "team/a:2.0.0") }));
        Assert.Equal(original, File.ReadAllText(path));
    }

    [Fact]
    public void FoldedOrMultiLineImagesHaveNoSite()
    {
        string path = Write("environments.yaml", "environments:\n  - name: A\n    container_image: >-\n      team/a:1.0.0\n  - name: B\n    container_image: \"team/\\\n      b:1.0.0\"\n", bom: false);
        IReadOnlyList<UpgradeInput> inputs = EnvironmentFileImages.Read(path);
        Assert.Equal(new[] { "team/a:1.0.0", "team/b:1.0.0" }, inputs.Select(i => i.Image));
        Assert.All(inputs, i => Assert.Null(i.Site));
    }

    [Fact]
    public void AnInvalidEnvironmentsFileIsATypedError()
    {
        string path = Write("environments.yaml", "services:\n  - name: A\n", bom: false);
        var error = Assert.Throws<EnvironmentFileException>(() => UpgradeInputReader.FromFile(path));
        Assert.Equal(1, error.Line);
    }

    [Theory]
    [InlineData("Dockerfile", "# only a comment\n", true)]
    [InlineData("build.txt", "RUN echo hi\nUSER 1000\n", true)]
    [InlineData("notes.txt", "hello world\nthis is text\n", false)]
    [InlineData("config.toml", "", false)]
    public void AFileWithoutFromIsATypedError(string name, string content, bool isDockerfile)
    {
        string path = Write(name, content, bom: false);
        var error = Assert.Throws<UpgradeFileException>(() => UpgradeInputReader.FromFile(path));
        Assert.Equal(isDockerfile, error.IsDockerfile);
    }

    private static string Bump(string image) => image switch
    {
        "ghcr.io/team/py:1.0.0" => "1.1.0",
        "ghcr.io/team/r:2.1.0" => "2.2.0",
        "ghcr.io/team/shared:3.0.0" => "3.1.0",
        _ => throw new ArgumentException(image),
    };

    private static byte[] Bytes(string text, bool bom) => (bom ? Bom : Array.Empty<byte>()).Concat(Encoding.UTF8.GetBytes(text)).ToArray();

    private string Write(string name, string text, bool bom)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, Bytes(text, bom));
        return path;
    }
}
