using Renku.PowerShell.Builds;

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
    // Only ^ negates a class (Go's grammar): [!0-9] holds '!' and the digits.
    [InlineData("file[!0-9].txt", "file7.txt", true)]
    [InlineData("file[!0-9].txt", "file!.txt", true)]
    [InlineData("file[!0-9].txt", "fileX.txt", false)]
    [InlineData("file[^0-9].txt", "fileX.txt", true)]
    [InlineData("file[^0-9].txt", "file7.txt", false)]
    [InlineData("a.b", "aXb", false)]
    [InlineData("a+b", "a+b", true)]
    [InlineData("node_modules", "src/node_modules/x", false)]
    [InlineData("**/node_modules", "src/node_modules/x", true)]
    [InlineData("docs/**/*.md", "docs/a.md", true)]
    [InlineData("docs/**/*.md", "docs/x/y/a.md", true)]
    [InlineData("docs/**/*.md", "other/a.md", false)]
    public void SinglePatterns(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    /// <summary>
    /// Docker's matcher rules (moby/patternmatcher on Go's filepath.Match grammar), one case per
    /// rule: escapes inside classes, ** as prefix, suffix and middle, plain text, regex-only
    /// characters taken literally, parent directories.
    /// </summary>
    [Theory]
    [InlineData(@"[\]a]", "]", true)]
    [InlineData(@"[\]a]", "a", true)]
    [InlineData(@"[\]a]", @"\", false)]
    [InlineData(@"[\-x]", "-", true)]
    [InlineData(@"[\-x]", "x", true)]
    [InlineData(@"[\-x]", "a", false)]
    [InlineData(@"[x\-]", "-", true)]
    [InlineData(@"[x\-]", "z", false)]
    [InlineData(@"ab[^e-g]", "abc", true)]
    [InlineData(@"ab[^b-d]", "abc", false)]
    [InlineData(@"a\*b", "a*b", true)]
    [InlineData(@"a\*b", "axb", false)]
    [InlineData(@"a\\", @"a\", true)]
    [InlineData(@"a\[b\]", "a[b]", true)]
    [InlineData("a]b", "a]b", true)]
    [InlineData("a?b", "a☺b", true)]
    [InlineData("[a-ζ]*", "α", true)]
    [InlineData("**", "file", true)]
    [InlineData("**/", "dir/file", true)]
    [InlineData("**/**", "dir/file", true)]
    [InlineData("**file", "dir/dir/file", true)]
    [InlineData("**file", "dir/myfile", true)]
    [InlineData("**/file", "dir/myfile", false)]
    [InlineData("**/dir", "dir", true)]
    [InlineData("**/dir", "dir/file", true)]
    [InlineData("**/dir2/*", "dir/dir2/file", true)]
    [InlineData("**/dir2/**", "dir/dir2/dir3/file", true)]
    [InlineData("**/**/*.txt2", "dir/dir/file.txt", false)]
    [InlineData("a**/*.txt", "a/dir/dir/file.txt", true)]
    [InlineData("a**b", "ab", true)]
    [InlineData("a**b", "axb", false)]
    [InlineData("a/*.txt", "a/dir/file.txt", false)]
    [InlineData("a/*.txt**", "a/file.txt", true)]
    [InlineData("abc/**", "abc", false)]
    [InlineData("abc/**", "abc/def/ghi", true)]
    [InlineData(".*", ".foo", true)]
    [InlineData(".*", "foo", false)]
    [InlineData("abc.def", "abcZdef", false)]
    [InlineData("a(b)c/def", "a(b)c/def", true)]
    [InlineData("a.|)$(}+{bc", "a.|)$(}+{bc", true)]
    [InlineData("dist/*.whl", "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl", true)]
    // Plain text compares as text; once a pattern is an expression, Docker passes '^' through, where it anchors.
    [InlineData("a^b", "a^b", true)]
    [InlineData("a^*", "a^b", false)]
    [InlineData("docs/*", "docs/deep/README.md", true)]
    public void FollowsDockersMatcher(string pattern, string path, bool excluded) =>
        Assert.Equal(excluded, DockerIgnore.Parse(pattern).IsExcluded(path));

    /// <summary>Lines the docker CLI refuses (syntax errors in Go's pattern grammar, a lone !): refused with the line named.</summary>
    [Theory]
    [InlineData("[", "not closed")]
    [InlineData("a[", "not closed")]
    [InlineData("[^", "not closed")]
    [InlineData("[^bc", "not closed")]
    [InlineData("file[0-9", "not closed")]
    [InlineData(@"[\", "not closed")]
    [InlineData("[]", "empty")]
    [InlineData("[]a]", "empty")]
    [InlineData("[^]", "empty")]
    [InlineData("[-]", "starts no range")]
    [InlineData("[-x]", "starts no range")]
    [InlineData("[a-b-c]", "starts no range")]
    [InlineData("[x-]", "has no end")]
    [InlineData("[a--]", "has no end")]
    [InlineData(@"\", "backslash")]
    [InlineData(@"logs\", "backslash")]
    [InlineData("!", "needs a pattern")]
    [InlineData("  !  ", "needs a pattern")]
    [InlineData(@"a\qb", "expression")]
    public void MalformedLinesAreRefusedNamingTheLine(string line, string problem)
    {
        if (OperatingSystem.IsWindows() && line.Contains('\\', StringComparison.Ordinal))
        {
            return;
        }

        var ex = Assert.Throws<DockerIgnoreException>(() => DockerIgnore.Parse("# header\n*.log\n\n" + line + "\nother\n"));
        Assert.Equal(4, ex.Line);
        Assert.Equal(line.Trim(), ex.Text);
        Assert.Contains(problem, ex.Problem, StringComparison.Ordinal);
        Assert.StartsWith(".dockerignore line 4: '" + line.Trim() + "'", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("!!")]
    [InlineData("[!]")]
    [InlineData("[^!]")]
    [InlineData(@"[\]]")]
    [InlineData("a]")]
    [InlineData("[a-a]")]
    [InlineData(@"\[")]
    public void OddButValidLinesAreAccepted(string line) => Assert.Single(DockerIgnore.Parse(line).Patterns);

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
