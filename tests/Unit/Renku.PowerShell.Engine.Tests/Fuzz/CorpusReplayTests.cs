using Renku.PowerShell.Fuzz;
using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Fuzz;

/// <summary>
/// Every committed fuzz input (seeds, what afl found, and the hand-made bounds cases: alias bombs,
/// deep nesting, 100k-character lines, huge declared sizes, a decompression bomb) goes through its
/// reader again: a result or the reader's typed exception, within the time bound and the
/// allocation budget.
/// </summary>
public sealed class CorpusReplayTests
{
    private static readonly TimeSpan PerInput = TimeSpan.FromSeconds(10);

    public static TheoryData<string> Targets()
    {
        var data = new TheoryData<string>();
        foreach (FuzzTarget target in FuzzTargets.All)
        {
            data.Add(target.Name);
        }

        return data;
    }

    private static string CorpusOf(string target) => Path.Combine(RepoPaths.Root, "tests", "Fuzz", "corpus", target);

    private static string BoundsOf(string target) => Path.Combine(RepoPaths.Root, "tests", "Fuzz", "bounds", target);

    [Theory]
    [MemberData(nameof(Targets))]
    public void EveryCorpusInputEndsInAResultOrATypedException(string name)
    {
        FuzzTarget target = FuzzTargets.Find(name);
        string[] corpus = Directory.GetFiles(CorpusOf(name)).Order(StringComparer.Ordinal).ToArray();
        Assert.Contains(corpus, f => Path.GetFileName(f).StartsWith("seed-", StringComparison.Ordinal));
        string[] inputs = Directory.Exists(BoundsOf(name)) ? corpus.Concat(Directory.GetFiles(BoundsOf(name)).Order(StringComparer.Ordinal)).ToArray() : corpus;
        var broken = new List<string>();
        foreach (string input in inputs)
        {
            try
            {
                FuzzContract.CheckTimed(target, File.ReadAllBytes(input), PerInput);
            }
            catch (Exception ex)
            {
                broken.Add($"{Path.GetFileName(input)}: {ex.GetType().FullName}: {ex.Message}\n{ex.StackTrace}");
            }
        }

        Assert.True(broken.Count == 0, $"{broken.Count} of {inputs.Length} inputs of {name} broke the contract:\n" + string.Join("\n", broken.Take(5)));
    }

    [Fact]
    public void EveryCorpusFolderBelongsToATarget()
    {
        string root = Path.Combine(RepoPaths.Root, "tests", "Fuzz", "corpus");
        string[] folders = Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray()!;
        Assert.Equal(FuzzTargets.All.Select(t => t.Name).Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void EveryBoundsFolderBelongsToATarget()
    {
        string root = Path.Combine(RepoPaths.Root, "tests", "Fuzz", "bounds");
        Assert.All(Directory.GetDirectories(root).Select(Path.GetFileName), folder => FuzzTargets.Find(folder!));
    }

    [Fact]
    public void AnUntypedExceptionBreaksTheContract()
    {
        var target = new FuzzTarget("test", _ => throw new InvalidOperationException("raw"), typeof(FormatException));
        Assert.Throws<InvalidOperationException>(() => FuzzContract.Check(target, new byte[] { 1 }));
        Assert.IsType<FormatException>(FuzzContract.Check(new FuzzTarget("test", _ => throw new FormatException("typed"), typeof(FormatException)), new byte[] { 1 }));
    }

    [Fact]
    public void AllocationOutOfProportionBreaksTheContract()
    {
        var target = new FuzzTarget("test", _ =>
        {
            for (int i = 0; i < 40; i++)
            {
                GC.KeepAlive(new byte[16 * 1024 * 1024]);
            }
        });
        Assert.Throws<FuzzContractException>(() => FuzzContract.Check(target, new byte[] { 1 }));
    }
}
