using Xunit;
using Renku.PowerShell.Images;

namespace Renku.PowerShell.Engine.Tests.Images;

public class UserResolverTests
{
    private const string Passwd = "root:x:0:0:root:/root:/bin/bash\n# comment\njovyan:x:1000:100:Jupyter:/home/jovyan:/bin/bash\nbroken line\nsvc:x:999:998::/srv:/usr/sbin/nologin\n";
    private const string Group = "root:x:0:\nusers:x:100:jovyan\nsvc:x:998:\nstaff:x:50:\n";

    [Theory]
    [InlineData("", "root", 0, "root", 0)]
    [InlineData("1000", "jovyan", 1000, "users", 100)]
    [InlineData("jovyan", "jovyan", 1000, "users", 100)]
    [InlineData("jovyan:staff", "jovyan", 1000, "staff", 50)]
    [InlineData("1000:50", "jovyan", 1000, "staff", 50)]
    [InlineData("svc", "svc", 999, "svc", 998)]
    public void ResolvesLikeTheRuntime(string spec, string user, int uid, string group, int gid)
    {
        ImageUser resolved = UserResolver.Resolve(spec, Passwd, Group);
        Assert.True(resolved.Resolved, resolved.Problem);
        Assert.Equal(user, resolved.UserName);
        Assert.Equal(uid, resolved.Uid);
        Assert.Equal(group, resolved.GroupName);
        Assert.Equal(gid, resolved.Gid);
    }

    [Fact]
    public void ANumericUserWithoutAnEntryGetsGroupZero()
    {
        ImageUser resolved = UserResolver.Resolve("4242", Passwd, Group);
        Assert.True(resolved.Resolved);
        Assert.Null(resolved.UserName);
        Assert.Equal(4242, resolved.Uid);
        Assert.Equal(0, resolved.Gid);
        Assert.Equal("root", resolved.GroupName);
    }

    [Fact]
    public void UnknownNamesAreProblems()
    {
        ImageUser user = UserResolver.Resolve("nobody", Passwd, Group);
        Assert.False(user.Resolved);
        Assert.Contains("nobody", user.Problem, StringComparison.Ordinal);

        ImageUser group = UserResolver.Resolve("jovyan:wheel", Passwd, Group);
        Assert.False(group.Resolved);
        Assert.Contains("wheel", group.Problem, StringComparison.Ordinal);

        ImageUser noFiles = UserResolver.Resolve("jovyan", null, null);
        Assert.False(noFiles.Resolved);
        Assert.Contains("no /etc/passwd", noFiles.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void WithoutFilesOnlyTheSpecIsKnown()
    {
        ImageUser user = UserResolver.FromSpecOnly("1000:100");
        Assert.False(user.Resolved);
        Assert.Equal(1000, user.Uid);
        Assert.Equal(100, user.Gid);
        Assert.Equal("1000:100", user.Spec);
    }
}
