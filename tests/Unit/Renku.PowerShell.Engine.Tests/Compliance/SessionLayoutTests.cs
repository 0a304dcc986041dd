using Xunit;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>Renku's directory behaviour: what working and mount directory a session really gets.</summary>
public class SessionLayoutTests
{
    [Theory]
    [InlineData("/home/renku/work", "/home/renku/work", null, "/home/renku/work", "/home/renku/work", 0)]
    [InlineData("/home/renku/work/project", "/home/renku/work", null, "/home/renku/work/project", "/home/renku/work", 0)]
    [InlineData("/opt/app", "/home/renku/work", null, "/home/renku/work", "/home/renku/work", 1)]
    [InlineData(null, null, "/home/renku", "/home/renku", "/home/renku", 2)]
    [InlineData(null, null, null, "/home/jovyan/work", "/home/jovyan/work", 2)]
    [InlineData("/", null, null, "/work", "/work", 3)]
    [InlineData(null, "/", "/srv", "/work", "/work", 3)]
    [InlineData("/home/renku/workspace", "/home/renku/work", null, "/home/renku/work", "/home/renku/work", 1)]
    public void RenkuChoosesTheDirectoriesLikeThis(string? working, string? mount, string? imageWorkdir, string expectedWorking, string expectedMount, int adjustments)
    {
        var settings = new SessionSettings { WorkingDirectory = working, MountDirectory = mount };
        SessionLayout layout = settings.ResolveLayout(imageWorkdir);
        Assert.Equal(expectedWorking, layout.WorkingDirectory);
        Assert.Equal(expectedMount, layout.MountDirectory);
        Assert.Equal(adjustments, layout.Adjustments.Count);
    }

    [Fact]
    public void RenkuDefaultsAreTheDocumentedSettings()
    {
        SessionSettings defaults = SessionSettings.RenkuDefaults;
        Assert.Equal(8888, defaults.Port);
        Assert.Equal("/", defaults.DefaultUrl);
        Assert.Equal(1000, defaults.Uid);
        Assert.Equal(1000, defaults.Gid);
        Assert.Equal("/home/renku/work", defaults.WorkingDirectory);
        Assert.Equal("/home/renku/work", defaults.MountDirectory);
        Assert.Null(defaults.Command);
        Assert.True(defaults.IsRenkuDefault);
    }

    [Fact]
    public void TheProbeScalesDownForShortDeadlinesAndKeepsItsThresholds()
    {
        Assert.Same(ReadinessProbeSettings.Renku, SessionCheckRequest.ProbeFor(TimeSpan.FromMinutes(5)));
        ReadinessProbeSettings probe = SessionCheckRequest.ProbeFor(TimeSpan.FromSeconds(18));
        Assert.Equal(TimeSpan.FromSeconds(1), probe.InitialDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(500), probe.Period);
        Assert.Equal(TimeSpan.FromMilliseconds(100), probe.Timeout);
        Assert.Equal(5, probe.SuccessThreshold);
        Assert.Equal(3, probe.FailureThreshold);
        Assert.Equal(TimeSpan.FromSeconds(30), ReadinessProbeSettings.Renku.FastestReady);
    }
}
