using CsCheck;

using Renku.PowerShell.Environments;
using Renku.PowerShell.RenkuApi;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Fuzz;

/// <summary>
/// A sync is idempotent: applying a plan to the fake data API (through the real client, as
/// Sync-RenkuGlobalEnvironment applies it) and planning again from what the API then answers gives
/// nothing left to do.
/// </summary>
public sealed class SyncPlanPropertyTests : FakeRenkuApiTests
{
    private static readonly Gen<EnvironmentSpec> Spec = Gen.Select(
        Gen.Select(Gen.OneOf("A", "B", "C", "Python", "R Studio"), Gen.OneOf<string?>(null, string.Empty, "a note"), Gen.OneOf("python:3.12", "rocker/rstudio:4.4", "ghcr.io/team/lab:1.0")),
        Gen.Select(Gen.OneOf("/", "/lab", "/rstudio"), Gen.OneOf(8888, 8787, 3000), Gen.OneOf(1000, 1001, 100), Gen.OneOf(1000, 100)),
        Gen.Select(Gen.OneOf<string?>(null, "/home/renku/work", "/srv"), Gen.OneOf<string?>(null, "/home/renku/work", "/data")),
        Gen.Select(Gen.OneOf<string[]?>(null, new[] { "sh", "-c" }), Gen.OneOf<string[]?>(null, new[] { "start" }, new[] { "a", "b" }), Gen.Bool, Gen.Bool),
        (a, b, dirs, rest) => new EnvironmentSpec
        {
            Name = a.Item1,
            Description = a.Item2,
            Image = a.Item3,
            DefaultUrl = b.Item1,
            Port = b.Item2,
            Uid = b.Item3,
            Gid = b.Item4,
            WorkingDirectory = dirs.Item1,
            MountDirectory = dirs.Item2,
            Command = rest.Item1,
            Args = rest.Item2,
            StripPathPrefix = rest.Item3,
            IsArchived = rest.Item4,
        });

    private static readonly Gen<EnvironmentSpec[]> UniqueSpecs = Spec.Array[0, 4].Select(specs => specs.DistinctBy(s => s.Name).ToArray());

    [Fact]
    public async Task ApplyingASyncPlanThenPlanningAgainGivesAnEmptyPlan()
    {
        RenkuApiClient client = await ClientAsync();
        var gate = new SemaphoreSlim(1);
        await Gen.Select(UniqueSpecs, UniqueSpecs, Gen.Bool, Gen.Bool).SampleAsync(async (existing, desired, prune, remove) =>
        {
            // One server: the samples take turns.
            await gate.WaitAsync();
            try
            {
                foreach (GlobalEnvironment old in await client.GetEnvironmentsAsync(true, CancellationToken.None))
                {
                    await client.DeleteEnvironmentAsync(old.Id, CancellationToken.None);
                }

                foreach (EnvironmentSpec spec in existing)
                {
                    await client.CreateEnvironmentAsync(spec, CancellationToken.None);
                }

                IReadOnlyList<GlobalEnvironment> current = await client.GetEnvironmentsAsync(true, CancellationToken.None);
                foreach (EnvironmentSyncStep step in EnvironmentSyncPlanner.Plan(desired, current, prune, remove))
                {
                    switch (step.Change.Action)
                    {
                        case EnvironmentChangeAction.Create:
                            await client.CreateEnvironmentAsync(step.Desired!, CancellationToken.None);
                            break;
                        case EnvironmentChangeAction.Update or EnvironmentChangeAction.Archive:
                            await client.UpdateEnvironmentAsync(step.Current!.Id, step.Change.Changes, CancellationToken.None);
                            break;
                        case EnvironmentChangeAction.Remove:
                            await client.DeleteEnvironmentAsync(step.Current!.Id, CancellationToken.None);
                            break;
                    }
                }

                IReadOnlyList<GlobalEnvironment> after = await client.GetEnvironmentsAsync(true, CancellationToken.None);
                var again = EnvironmentSyncPlanner.Plan(desired, after, prune, remove).Where(s => s.Change.Action != EnvironmentChangeAction.Unchanged).ToList();
                Assert.True(again.Count == 0, "left to do: " + string.Join("; ", again.Select(s => $"{s.Change.Action} {s.Change.Name}: " + string.Join(", ", s.Change.Changes.Select(c => $"{c.Field} {c.OldValue ?? "null"} -> {c.NewValue ?? "null"}")))));
            }
            finally
            {
                gate.Release();
            }
        }, iter: 40, threads: 1);
    }
}
