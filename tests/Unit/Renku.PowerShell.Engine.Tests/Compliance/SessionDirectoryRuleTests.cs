
using Xunit;

namespace Renku.PowerShell.Engine.Tests.Compliance;

public class SessionDirectoryRuleTests
{
    [Theory]
    [InlineData("/home/renku/work", "/home/renku/work", null, "/home/renku/work", "/home/renku/work")]
    [InlineData(null, null, "/home/renku", "/home/renku", "/home/renku")]
    [InlineData(null, null, null, "/home/jovyan/work", "/home/jovyan/work")]
    [InlineData(null, "/data", "/home/renku", "/data", "/data")]
    [InlineData("/data/project", "/data", null, "/data/project", "/data")]
    [InlineData(null, null, "/", "/work", "/work")]
    [InlineData("/", null, null, "/work", "/work")]
    [InlineData("/home/renku", "/home/renku/work", null, "/home/renku/work", "/home/renku/work")]
    [InlineData("/srv/app/", "/srv", null, "/srv/app", "/srv")]
    [InlineData("/srvx", "/srv", null, "/srv", "/srv")]
    public void FollowsRenkusRules(string? working, string? mount, string? imageWorkdir, string expectedWorking, string expectedMount)
    {
        // The cluster check uses the one directory rule of the sessions domain (SessionLayout).
        SessionLayout layout = new SessionSettings { WorkingDirectory = working, MountDirectory = mount }.ResolveLayout(imageWorkdir);
        Assert.Equal(expectedWorking, layout.WorkingDirectory);
        Assert.Equal(expectedMount, layout.MountDirectory);
    }
}
