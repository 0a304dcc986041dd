using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

public class EnvironmentSyncPlannerTests
{
    private static GlobalEnvironment Existing(string name, int port = 8888, bool archived = false) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Name = name,
        Image = "python:3.12",
        DefaultUrl = "/",
        Port = port,
        Uid = 1000,
        Gid = 1000,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        IsArchived = archived,
    };

    [Fact]
    public void PlansCreateUpdateArchiveAndUnchanged()
    {
        var desired = new[] { new EnvironmentSpec { Name = "A", Image = "python:3.12" }, new EnvironmentSpec { Name = "B", Image = "python:3.12" }, new EnvironmentSpec { Name = "C", Image = "python:3.12" } };
        var current = new[] { Existing("A"), Existing("B", port: 8080), Existing("Old"), Existing("Gone", archived: true) };
        var steps = EnvironmentSyncPlanner.Plan(desired, current, prune: true, remove: false);
        Assert.Equal(
            new[] { "A:Unchanged", "B:Update", "C:Create", "Gone:Unchanged", "Old:Archive" },
            steps.Select(s => s.Change.Name + ":" + s.Change.Action).OrderBy(x => x, StringComparer.Ordinal).ToArray());
        var port = Assert.Single(steps.Single(s => s.Change.Name == "B").Change.Changes);
        Assert.Equal(("port", (object?)8080, (object?)8888), (port.Field, port.OldValue, port.NewValue));
    }

    [Fact]
    public void DuplicateNamesAreRefusedBeforeAnythingIsPlanned()
    {
        var desired = new[] { new EnvironmentSpec { Name = "A", Image = "python:3.12" }, new EnvironmentSpec { Name = "A", Image = "python:3.11" } };
        var refused = Assert.ThrowsAny<InvalidOperationException>(() => EnvironmentSyncPlanner.Plan(desired, Array.Empty<GlobalEnvironment>(), false, false));
        var names = Assert.IsType<EnvironmentNameException>(refused);
        Assert.True(names.Duplicate);
        Assert.Equal("A", names.Name);
    }

    [Fact]
    public void PatchBodyClearsTheWayTheApiWants()
    {
        var current = Existing("A");
        var changes = EnvironmentDiff.Compare(current, new Dictionary<string, object?> { ["working_directory"] = null, ["command"] = null, ["port"] = 8888 });
        Assert.Equal("{\"working_directory\":\"\"}", EnvironmentDiff.PatchBody(changes).ToJsonString());
    }
}
