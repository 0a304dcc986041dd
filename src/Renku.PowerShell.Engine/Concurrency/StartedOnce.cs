namespace Renku.PowerShell.Concurrency;

/// <summary>
/// Work started at most once per key during one run (a tag listing, a manifest read, a question
/// to Renku), shared by every caller that asks for the same key, however closely they race.
/// </summary>
/// <remarks>
/// <c>ConcurrentDictionary.GetOrAdd</c> does not give this: it may call its factory once per
/// racing caller and keep one result, and here each call of the factory sends a request. The first
/// call of a request path can spend milliseconds before its first await (JIT, token checks), which
/// is long enough for every concurrent caller to start its own.
/// </remarks>
internal sealed class StartedOnce<T>
{
    private readonly Dictionary<string, Task<T>> started = new(StringComparer.Ordinal);

    /// <summary>The task started for <paramref name="key"/>; <paramref name="start"/> runs only when none was.</summary>
    public Task<T> GetOrStart(string key, Func<Task<T>> start)
    {
        lock (started)
        {
            if (!started.TryGetValue(key, out Task<T>? task))
            {
                task = start();
                started.Add(key, task);
            }

            return task;
        }
    }

    /// <summary>The task started for <paramref name="key"/>.</summary>
    public Task<T> this[string key]
    {
        get
        {
            lock (started)
            {
                return started[key];
            }
        }
    }

    /// <summary>The task started for <paramref name="key"/>, when one was.</summary>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Task<T>? task)
    {
        lock (started)
        {
            return started.TryGetValue(key, out task);
        }
    }

    /// <summary>Every task started so far.</summary>
    public IReadOnlyList<Task<T>> All
    {
        get
        {
            lock (started)
            {
                return started.Values.ToArray();
            }
        }
    }
}
