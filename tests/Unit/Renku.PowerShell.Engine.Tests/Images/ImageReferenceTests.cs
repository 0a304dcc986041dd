using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Images;

public class ImageReferenceTests
{
    // input, registry, repository, tag, digest, tagSpecified
    public static TheoryData<string, string, string, string?, string?, bool> Valid => new()
    {
        { "python", "docker.io", "library/python", "latest", null, false },
        { "python:3.12", "docker.io", "library/python", "3.12", null, true },
        { "library/python:3.12", "docker.io", "library/python", "3.12", null, true },
        { "docker.io/python", "docker.io", "library/python", "latest", null, false },
        { "index.docker.io/python:3", "docker.io", "library/python", "3", null, true },
        { "docker.io/library/python:3.12-slim", "docker.io", "library/python", "3.12-slim", null, true },
        { "jupyter/base-notebook", "docker.io", "jupyter/base-notebook", "latest", null, false },
        { "renku/renkulab-py:3.11-0.25.0", "docker.io", "renku/renkulab-py", "3.11-0.25.0", null, true },
        { "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3", "ghcr.io", "swissdatasciencecenter/renku/py-basic-jupyterlab", "2.10.3", null, true },
        { "localhost/app", "localhost", "app", "latest", null, false },
        { "localhost:5000/team/app:1.0", "localhost:5000", "team/app", "1.0", null, true },
        { "127.0.0.1:5000/app:v1", "127.0.0.1:5000", "app", "v1", null, true },
        { "host:5000/ns/img", "host:5000", "ns/img", "latest", null, false },
        { "registry.example.org/a/b/c/d:tag", "registry.example.org", "a/b/c/d", "tag", null, true },
        { "Registry/app", "Registry", "app", "latest", null, false },
        { "[::1]:5000/app:1", "[::1]:5000", "app", "1", null, true },
        { "a.b-c.example/x__y/z--w.v_u:T_1.x-y", "a.b-c.example", "x__y/z--w.v_u", "T_1.x-y", null, true },
        { "myhost:5000", "docker.io", "library/myhost", "5000", null, true },
        { "python@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "docker.io", "library/python", null, "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", false },
        { "ghcr.io/o/i:1.2.3@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io", "o/i", "1.2.3", "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true },
        { "app@sha512:" + new string('a', 128), "docker.io", "library/app", null, "sha512:" + new string('a', 128), false },
        { "app:" + new string('t', 128), "docker.io", "library/app", new string('t', 128), null, true },
        { "a_b/c:_tag", "docker.io", "a_b/c", "_tag", null, true },
        { "gitlab.renkulab.io:443/ns/project:abc1234", "gitlab.renkulab.io:443", "ns/project", "abc1234", null, true },

        // Only the path counts towards Docker's 255 characters, library/ included; the registry does not.
        { "registry.example.org/" + new string('a', 255), "registry.example.org", new string('a', 255), "latest", null, false },
        { new string('a', 247) + ":1", "docker.io", "library/" + new string('a', 247), "1", null, true },
        { "team/" + new string('a', 250), "docker.io", "team/" + new string('a', 250), "latest", null, false },
        { new string('r', 200) + ".example.org:5000/app", new string('r', 200) + ".example.org:5000", "app", "latest", null, false },
    };

    // input, offending part
    public static TheoryData<string, string> Invalid => new()
    {
        { "", "reference" },
        { " python", "reference" },
        { "python ", "reference" },
        { "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "reference" },
        { "UPPER", "repository" },
        { "docker.io/Upper/app", "repository" },
        { "ghcr.io/Org/app:1", "repository" },
        { "app:", "tag" },
        { "app:-start", "tag" },
        { "app:.start", "tag" },
        { "app:" + new string('t', 129), "tag" },
        { "app:ta g", "reference" },
        { "app:tag!", "tag" },
        { "app@sha256:abc", "digest" },
        { "app@sha256:" + new string('A', 64), "digest" },
        { "app@md5:0123456789abcdef0123456789abcdef", "digest" },
        { "app@sha256", "digest" },
        { "app@", "digest" },
        { "app@sha256:" + new string('a', 63), "digest" },
        { "a//b", "repository" },
        { "ghcr.io/", "repository" },
        { "ghcr.io/app/", "repository" },
        { "-app", "repository" },
        { "app-", "repository" },
        { "a..b", "repository" },
        { "ex_ample.com:5000/app", "registry" },
        { "-bad.example/app", "registry" },
        { "host:port/app", "registry" },
        { "ghcr.io/" + new string('a', 256), "repository" },
        { new string('a', 248), "repository" },
        { "team/" + new string('a', 251), "repository" },
        { ":tag", "repository" },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void ParsesValidReferences(string input, string registry, string repository, string? tag, string? digest, bool tagSpecified)
    {
        ImageReference reference = ImageReference.Parse(input);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
        Assert.Equal(digest, reference.Digest);
        Assert.Equal(tagSpecified, reference.TagSpecified);
        Assert.Equal(input, reference.Original);

        // The full name parses back to itself.
        Assert.Equal(reference.FullName, ImageReference.Parse(reference.FullName).FullName);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsInvalidReferencesNamingThePart(string input, string part)
    {
        var ex = Assert.Throws<ImageReferenceException>(() => ImageReference.Parse(input));
        Assert.Equal(part, ex.Part);
        Assert.False(string.IsNullOrWhiteSpace(ex.Message));
        Assert.False(ImageReference.TryParse(input, out _, out string? error));
        Assert.Equal(ex.Message, error);
    }

    [Theory]
    [InlineData("python", "docker.io/library/python:latest", "python:latest", true, "registry-1.docker.io")]
    [InlineData("user/app:1", "docker.io/user/app:1", "user/app:1", true, "registry-1.docker.io")]
    [InlineData("ghcr.io/o/app:1", "ghcr.io/o/app:1", "ghcr.io/o/app:1", false, "ghcr.io")]
    [InlineData("localhost:5000/library/app", "localhost:5000/library/app:latest", "localhost:5000/library/app:latest", false, "localhost:5000")]
    public void DerivedNames(string input, string fullName, string familiar, bool dockerHub, string apiHost)
    {
        ImageReference reference = ImageReference.Parse(input);
        Assert.Equal(fullName, reference.FullName);
        Assert.Equal(familiar, reference.FamiliarName);
        Assert.Equal(dockerHub, reference.IsDockerHub);
        Assert.Equal(apiHost, reference.RegistryApiHost);
        Assert.Equal(fullName, reference.ToString());
    }

    [Fact]
    public void WithTagAndWithDigestKeepTheRepository()
    {
        ImageReference reference = ImageReference.Parse("ghcr.io/o/app:1.0");
        Assert.Equal("ghcr.io/o/app:1.1", reference.WithTag("1.1").FullName);
        string digest = "sha256:" + new string('b', 64);
        Assert.Equal("ghcr.io/o/app:1.0@" + digest, reference.WithDigest(digest).FullName);
        Assert.Throws<ImageReferenceException>(() => reference.WithTag("bad tag"));
        Assert.Throws<ImageReferenceException>(() => reference.WithDigest("sha256:short"));
    }

    [Fact]
    public void EqualityFollowsTheNormalisedName()
    {
        Assert.Equal(ImageReference.Parse("python"), ImageReference.Parse("docker.io/library/python:latest"));
        Assert.NotEqual(ImageReference.Parse("python:3"), ImageReference.Parse("python:3.12"));
    }

    [Theory]
    [InlineData("python", TagKind.Missing)]
    [InlineData("python:latest", TagKind.Latest)]
    [InlineData("app:2.10.3", TagKind.Semver)]
    [InlineData("app:v1.2", TagKind.Semver)]
    [InlineData("app:1", TagKind.Semver)]
    [InlineData("app:2.11.0-rc.1", TagKind.Semver)]
    [InlineData("app:2.10.3-python3.12", TagKind.SemverWithSuffix)]
    [InlineData("app:3.11-0.25.0", TagKind.SemverWithSuffix)]
    [InlineData("app:0.6.0-amd64", TagKind.SemverWithSuffix)]
    [InlineData("app:abc1234", TagKind.CommitSha)]
    [InlineData("app:0123456789abcdef0123456789abcdef01234567", TagKind.CommitSha)]
    [InlineData("app:amd64-abc1234", TagKind.ArchPrefixed)]
    [InlineData("app:arm64-abc1234", TagKind.ArchPrefixed)]
    [InlineData("app:20240101", TagKind.Other)]
    [InlineData("app:nightly", TagKind.Other)]
    public void ClassifiesTags(string input, TagKind kind)
    {
        Assert.Equal(kind, ImageReference.Parse(input).TagKind);
    }

    [Fact]
    public void DigestOnlyReferencesHaveTheDigestKind()
    {
        Assert.Equal(TagKind.Digest, ImageReference.Parse("app@sha256:" + new string('c', 64)).TagKind);
    }
}
