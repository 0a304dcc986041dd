using Renku.PowerShell.Docker;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Builds;

public class DockerIgnoreTests
{
    [Theory]
    [InlineData("*.log", "a.log", true)]
    [InlineData("*.log", "logs/a.log", false)]
    [InlineData("*/*.log", "logs/a.log", true)]
    [InlineData("**/*.log", "a.log", true)]
    [InlineData("**/*.log", "x/y/z/a.log", true)]
    [InlineData("logs", "logs/deep/a.txt", true)]
    [InlineData("logs/", "logs/a.txt", true)]
    [InlineData("/logs", "logs/a.txt", true)]
    [InlineData("./logs/../data", "data/x", true)]
    [InlineData("data/**", "data/x/y", true)]
    [InlineData("data/**", "data", false)]
    [InlineData("**", "anything/at/all", true)]
    [InlineData("a?c", "abc", true)]
    [InlineData("a?c", "a/c", false)]
    [InlineData("file[0-9].txt", "file7.txt", true)]
    [InlineData("file[!0-9].txt", "file7.txt", false)]
    [InlineData("file[!0-9].txt", "fileX.txt", true)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("node_modules", "src/node_modules/x", false)]
    [InlineData("**/node_modules", "src/node_modules/x", true)]
    [InlineData("docs/**/*.md", "docs/a.md", true)]
    [InlineData("docs/**/*.md", "docs/x/y/a.md", true)]
    [InlineData("docs/**/*.md", "other/a.md", false)]
    public void SinglePatterns(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    [Fact]
    public void TheLastMatchingPatternWinsAndExceptionsReinclude()
    {
        var ignore = DockerIgnore.Parse("*.md\n!README.md\nREADME-secret.md\n!keep/**\nkeep/drop.md\n");
        Assert.True(ignore.IsExcluded("CHANGES.md"));
        Assert.False(ignore.IsExcluded("README.md"));
        Assert.True(ignore.IsExcluded("README-secret.md"));
        Assert.False(ignore.IsExcluded("keep/x.bin"));
        Assert.True(ignore.IsExcluded("keep/drop.md"));
    }

    [Fact]
    public void CommentsBlankLinesAndWhitespaceAreHandledLikeTheCli()
    {
        var ignore = DockerIgnore.Parse("\uFEFF# a comment\n\n   secret.env   \n ! secret.env\n#*.txt\n");
        Assert.Equal(new[] { "secret.env", "!secret.env" }, ignore.Patterns.Select(p => p.ToString()).ToArray());
        Assert.False(ignore.IsExcluded("secret.env"));
        Assert.False(ignore.IsExcluded("a.txt"));
    }

    [Fact]
    public void AnExcludedParentExcludesEverythingBelowUnlessAnExceptionPointsInside()
    {
        var ignore = DockerIgnore.Parse("build\n!build/keep.txt\n");
        Assert.True(ignore.IsExcluded("build"));
        Assert.True(ignore.IsExcluded("build/other.txt"));
        Assert.False(ignore.IsExcluded("build/keep.txt"));
        Assert.True(ignore.MustDescendInto("build"));

        var wildcard = DockerIgnore.Parse("build\n!**/keep.txt\n");
        Assert.False(wildcard.MustDescendInto("build"));
        Assert.False(DockerIgnore.Parse("build\n").MustDescendInto("build"));
    }

    [Fact]
    public void TheDockerfileAndDockerignoreAreAlwaysKept()
    {
        var ignore = DockerIgnore.Parse("*\n").AlwaysKeeping(".dockerignore", "docker/Dockerfile.dev");
        Assert.False(ignore.IsExcluded(".dockerignore"));
        Assert.False(ignore.IsExcluded("docker/Dockerfile.dev"));
        Assert.True(ignore.IsExcluded("docker/other"));
        Assert.True(ignore.IsExcluded("src"));
    }

    [Theory]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("a/../../b", "../b")]
    [InlineData("/../a", "/a")]
    [InlineData("./", ".")]
    [InlineData("", ".")]
    public void PathsAreCleanedLikeGo(string input, string expected) => Assert.Equal(expected, DockerIgnore.CleanPath(input));
}
