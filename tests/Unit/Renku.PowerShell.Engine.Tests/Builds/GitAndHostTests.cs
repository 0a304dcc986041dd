using Renku.PowerShell.Builds;
using Renku.PowerShell.Docker;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Builds;

public class GitAndHostTests
{
    [Theory]
    [InlineData("1.2.3", "1.2.3")]
    [InlineData("v1.2.3\nv1.10.0\nnightly", "1.10.0")]
    [InlineData("release\nlatest", null)]
    [InlineData("v2.0.0-rc.1", "2.0.0-rc.1")]
    [InlineData("1.0.0+build.5", "1.0.0")]
    public void TheHighestSemverTagAtHeadIsTheVersion(string tags, string? expected) =>
        Assert.Equal(expected, GitRevision.HighestSemver(tags.Split('\n')));

    [Fact]
    public void CredentialsInTheRemoteNeverReachALabel()
    {
        Assert.Equal("https://gitlab.example.org/group/project.git", GitRevision.WithoutCredentials("https://oauth2:glpat-secret@gitlab.example.org/group/project.git"));
        Assert.Equal("git@github.com:org/repo.git", GitRevision.WithoutCredentials("git@github.com:org/repo.git"));
    }

    [Fact]
    public void TheEngineAddressComesFromTheParameterThenDockerHostThenTheDefault()
    {
        Assert.Equal("unix:///run/a.sock", DockerHostResolver.Resolve("unix:///run/a.sock", "unix:///run/b.sock", windows: false).ToString());
        Assert.Equal("unix:///run/b.sock", DockerHostResolver.Resolve(null, "unix:///run/b.sock", windows: false).ToString());
        Assert.Equal(DockerHostResolver.UnixDefault, DockerHostResolver.Resolve(null, null, windows: false).ToString());
        Assert.Equal("npipe", DockerHostResolver.Resolve(null, " ", windows: true).Scheme);
        Assert.Equal("http://10.0.0.5:2375/", DockerHostResolver.Resolve("tcp://10.0.0.5:2375", null, windows: false).ToString());
        Assert.True(Assert.Throws<DockerEngineException>(() => DockerHostResolver.Resolve("ssh://me@host", null, windows: false)).InvalidAddress);
    }
}
