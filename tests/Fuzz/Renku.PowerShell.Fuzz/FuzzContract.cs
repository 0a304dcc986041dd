using System.Diagnostics;

namespace Renku.PowerShell.Fuzz;

/// <summary>
/// The contract for bad bytes: a reader returns a result or throws one of its typed exceptions,
/// within a time bound and an allocation budget in proportion to the input.
/// </summary>
public static class FuzzContract
{
    /// <summary>Allocation allowed for any input, plus <see cref="BytesPerInputByte"/> per input byte.</summary>
    public const long BaseAllocationBudget = 256L * 1024 * 1024;

    public const long BytesPerInputByte = 2048;

    /// <summary>Runs one input; returns the typed exception it ended with, or null for a result.</summary>
    public static Exception? Check(FuzzTarget target, byte[] input)
    {
        long before = GC.GetTotalAllocatedBytes(precise: false);
        Exception? typed = null;
        try
        {
            target.Run(input);
        }
        catch (Exception ex) when (target.Typed.Any(t => t.IsInstanceOfType(ex)))
        {
            typed = ex;
        }

        long allocated = GC.GetTotalAllocatedBytes(precise: false) - before;
        long budget = BaseAllocationBudget + (BytesPerInputByte * input.Length);
        if (allocated > budget)
        {
            throw new FuzzContractException($"{target.Name}: {input.Length} input bytes allocated {allocated / (1024 * 1024)} MiB (budget {budget / (1024 * 1024)} MiB).");
        }

        return typed;
    }

    /// <summary>As <see cref="Check"/>, and fails when one input takes longer than <paramref name="limit"/>.</summary>
    public static Exception? CheckTimed(FuzzTarget target, byte[] input, TimeSpan limit)
    {
        var watch = Stopwatch.StartNew();
        Exception? typed = Check(target, input);
        if (watch.Elapsed > limit)
        {
            throw new FuzzContractException($"{target.Name}: one input of {input.Length} bytes took {watch.Elapsed.TotalSeconds:0.0} s (bound {limit.TotalSeconds:0} s).");
        }

        return typed;
    }
}

/// <summary>A broken contract that is not an exception of the reader itself (memory, time, a failed round trip).</summary>
public sealed class FuzzContractException : Exception
{
    public FuzzContractException(string message)
        : base(message)
    {
    }
}
