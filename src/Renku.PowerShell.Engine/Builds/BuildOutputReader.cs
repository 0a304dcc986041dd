using System.Text.Json;
using System.Text.RegularExpressions;

using Docker.DotNet.Models;

using Renku.PowerShell.Cleanup;

namespace Renku.PowerShell.Builds;

/// <summary>
/// Reads the engine's build stream (JSON messages): step lines become step events, other lines
/// output, pulls transfer progress; remembers the image id, the step running and its last lines so
/// that an error can quote them.
/// </summary>
internal sealed class BuildOutputReader : IProgress<JSONMessage>
{
    private const int KeptLines = 40;
    private static readonly Regex StepLine = new(@"^Step (\d+)/(\d+) : (.*)$", RegexOptions.CultureInvariant);
    private static readonly Regex RunningIn = new(@"^ ---> Running in ([0-9a-f]{12,64})$", RegexOptions.CultureInvariant);
    private static readonly Regex RemovingIntermediate = new(@"^Removing intermediate container ([0-9a-f]{12,64})$", RegexOptions.CultureInvariant);

    private readonly Action<BuildEvent> sink;
    private readonly CleanupLedger ledger;
    private readonly Dictionary<string, IDisposable> running = new(StringComparer.Ordinal);
    private readonly Queue<string> stepOutput = new();
    private string partialLine = string.Empty;

    /// <param name="ledger">Where the engine's intermediate containers are recorded from the moment the engine names them until it says it removed them.</param>
    public BuildOutputReader(Action<BuildEvent> sink, CleanupLedger? ledger = null)
    {
        this.sink = sink;
        this.ledger = ledger ?? CleanupLedger.Untracked;
    }

    /// <summary>The engine's intermediate containers it started (RUN steps) and has not yet said it removed.</summary>
    public IReadOnlyList<string> IntermediateContainers
    {
        get
        {
            lock (running)
            {
                return running.Keys.ToList();
            }
        }
    }

    /// <summary>Strikes an intermediate container from the ledger once it is gone.</summary>
    public void Removed(string container)
    {
        lock (running)
        {
            if (running.Remove(container, out IDisposable? entry))
            {
                entry.Dispose();
            }
        }
    }

    public string? ImageId { get; private set; }

    public string? CurrentStep { get; private set; }

    public string? Error { get; private set; }

    public IReadOnlyList<string> StepOutput => stepOutput.ToList();

    public void Report(JSONMessage value)
    {
        if (value.Error is not null && !string.IsNullOrEmpty(value.Error.Message))
        {
            Error = value.Error.Message.TrimEnd();
        }

        if (value.Aux?.ExtensionData is { } aux && aux.TryGetValue("ID", out object? id))
        {
            string? text = id is JsonElement element && element.ValueKind == JsonValueKind.String ? element.GetString() : id?.ToString();
            if (!string.IsNullOrEmpty(text))
            {
                ImageId = text;
            }
        }

        if (!string.IsNullOrEmpty(value.Stream))
        {
            ReadStream(value.Stream);
        }

        if (!string.IsNullOrEmpty(value.Status))
        {
            int percent = -1;
            if (value.Progress is { Total: > 0 } progress && progress.Current is { } current)
            {
                percent = (int)Math.Clamp(current * 100 / progress.Total.Value, 0, 100);
            }

            string text = string.IsNullOrEmpty(value.ID) ? value.Status : value.ID + ": " + value.Status;
            sink(BuildEvent.Transfer("Pulling base image", text, percent));
        }
    }

    /// <summary>Emits a last line that had no newline.</summary>
    public void Flush()
    {
        if (partialLine.Length > 0)
        {
            EmitLine(partialLine);
            partialLine = string.Empty;
        }
    }

    private void ReadStream(string text)
    {
        string combined = partialLine + text;
        int start = 0;
        int newline;
        while ((newline = combined.IndexOf('\n', start)) >= 0)
        {
            EmitLine(combined.Substring(start, newline - start).TrimEnd('\r'));
            start = newline + 1;
        }

        partialLine = combined.Substring(start);
    }

    private void EmitLine(string line)
    {
        Match step = StepLine.Match(line);
        if (step.Success)
        {
            CurrentStep = line;
            stepOutput.Clear();
            sink(BuildEvent.StepStarted(int.Parse(step.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), step.Groups[3].Value));
            return;
        }

        if (line.Length == 0)
        {
            return;
        }

        if (RunningIn.Match(line) is { Success: true } started)
        {
            string id = started.Groups[1].Value;
            lock (running)
            {
                running.TryAdd(id, ledger.Track($"Docker build container {id} (docker rm -f {id})"));
            }
        }
        else if (RemovingIntermediate.Match(line) is { Success: true } removed)
        {
            Removed(removed.Groups[1].Value);
        }

        stepOutput.Enqueue(line);
        while (stepOutput.Count > KeptLines)
        {
            stepOutput.Dequeue();
        }

        sink(BuildEvent.Output(line));
    }
}
