using Renku.PowerShell.Environments;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Environments;

/// <summary>The share of the active fleet one prune may take out of use: at most half.</summary>
public sealed class EnvironmentPruneGuardTests
{
    private static GlobalEnvironment Existing(string name, bool archived = false) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Name = name,
        Image = "python:3.12",
        DefaultUrl = "/",
        Port = 8888,
        Uid = 1000,
        Gid = 1000,
        WorkingDirectory = "/home/renku/work",
        MountDirectory = "/home/renku/work",
        IsArchived = archived,
    };

    private static EnvironmentSpec Wanted(string name) => new() { Name = name, Image = "python:3.12" };

    [Theory]
    [InlineData(0, 0, false)]
    [InlineData(0, 4, false)]
    [InlineData(1, 2, false)]
    [InlineData(2, 4, false)]
    [InlineData(3, 5, true)]
    [InlineData(1, 1, true)]
    [InlineData(2, 3, true)]
    [InlineData(1, 0, true)]
    public void MoreThanHalfOfTheActiveEnvironmentsIsTooMuch(int takenOut, int active, bool exceeds) =>
        Assert.Equal(exceeds, EnvironmentPruneGuard.Exceeds(takenOut, active));

    [Fact]
    public void ArchivedEnvironmentsAreNotPartOfTheFleetAUserCanPick()
    {
        // Two active of twelve: archiving both is the whole fleet users see, however many are archived already.
        var current = new[] { Existing("A"), Existing("B") }.Concat(Enumerable.Range(0, 10).Select(i => Existing($"Old {i}", archived: true))).ToList();
        var steps = EnvironmentSyncPlanner.Plan(new[] { Wanted("New") }, current, prune: true, remove: false);
        var (takenOut, active) = EnvironmentPruneGuard.Share(steps, current);
        Assert.Equal(new[] { "A", "B" }, takenOut.Select(e => e.Name));
        Assert.Equal(2, active);
        Assert.True(EnvironmentPruneGuard.Exceeds(takenOut.Count, active));

        // With -Remove the archived ones go too, but they do not count against the share.
        var removal = EnvironmentSyncPlanner.Plan(new[] { Wanted("A"), Wanted("B") }, current, prune: true, remove: true);
        Assert.Equal(10, removal.Count(s => s.Change.Action == EnvironmentChangeAction.Remove));
        Assert.Empty(EnvironmentPruneGuard.Share(removal, current).TakenOut);
    }
}
