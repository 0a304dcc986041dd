namespace Renku.PowerShell.Builds;

/// <summary>
/// One thing that happened during a build or push, raised on a worker thread; the cmdlet queues
/// these and writes them to PowerShell's streams from the pipeline thread.
/// </summary>
public sealed class BuildEvent
{
    private BuildEvent(BuildEventKind kind, string text, int step = 0, int totalSteps = 0, int percent = -1, string? activity = null)
    {
        Kind = kind;
        Text = text;
        Step = step;
        TotalSteps = totalSteps;
        Percent = percent;
        Activity = activity;
    }

    public BuildEventKind Kind { get; }

    public string Text { get; }

    /// <summary>1-based step number, for <see cref="BuildEventKind.StepStarted"/>.</summary>
    public int Step { get; }

    /// <summary>Number of steps when known, else 0.</summary>
    public int TotalSteps { get; }

    /// <summary>0..100, or -1 when unknown.</summary>
    public int Percent { get; }

    /// <summary>What is transferring (for example <c>Pushing registry/app:1.0</c>).</summary>
    public string? Activity { get; }

    public static BuildEvent StepStarted(int step, int totalSteps, string text) => new(BuildEventKind.StepStarted, text, step, totalSteps);

    public static BuildEvent Output(string text) => new(BuildEventKind.Output, text);

    public static BuildEvent Warning(string text) => new(BuildEventKind.Warning, text);

    public static BuildEvent Debug(string text) => new(BuildEventKind.Debug, text);

    public static BuildEvent Transfer(string activity, string text, int percent) => new(BuildEventKind.Transfer, text, percent: percent, activity: activity);

    public override string ToString() => Kind + ": " + Text;
}
