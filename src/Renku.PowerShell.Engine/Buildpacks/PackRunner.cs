using System.Diagnostics;
using System.Text.RegularExpressions;

using Renku.PowerShell.Builds;

namespace Renku.PowerShell.Buildpacks;

/// <summary>
/// Runs <c>pack build</c> and streams its output: the lifecycle phases (<c>===&gt; BUILDING</c>)
/// become steps, every other line output; a non-zero exit quotes the phase and its last lines.
/// Cancelling kills pack and its children.
/// </summary>
public static class PackRunner
{
    private const int KeptLines = 40;
    private static readonly string[] Phases = { "ANALYZING", "DETECTING", "RESTORING", "BUILDING", "EXPORTING" };
    private static readonly Regex PhaseLine = new(@"^===> ([A-Z]+)\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex DigestLine = new(@"^\*\*\* Digest: (sha256:[0-9a-f]{64})", RegexOptions.CultureInvariant);
    private static readonly Regex ImagesLine = new(@"^\*\*\* Images \(([0-9a-f]{12,64})\):", RegexOptions.CultureInvariant);

    public static async Task<PackOutcome> RunAsync(string pack, PackBuildRequest request, Action<BuildEvent> sink, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(pack)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = request.AppDirectory,
        };
        foreach (string argument in PackArguments.For(request))
        {
            info.ArgumentList.Add(argument);
        }

        if (!string.IsNullOrEmpty(request.DockerHost))
        {
            info.Environment["DOCKER_HOST"] = request.DockerHost;
        }

        sink(BuildEvent.Debug("pack " + string.Join(' ', info.ArgumentList)));
        var state = new PackOutputState(sink);
        using var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => state.Line(e.Data);
        process.ErrorDataReceived += (_, e) => state.Line(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new ImageBuildException(ImageBuildFailure.PackNotFound, $"pack at '{pack}' could not be started: {ex.Message}. {PackLocator.InstallHint}", innerException: ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            throw;
        }

        // WaitForExitAsync returns once the output pipes are drained, so every line has been seen.
        if (process.ExitCode != 0)
        {
            string phase = state.Phase is null ? "pack build" : "pack build (" + state.Phase + ")";
            throw new ImageBuildException(ImageBuildFailure.PackFailed, $"{phase} failed with exit code {process.ExitCode}: {state.LastLine ?? "no output"}", state.Phase, state.Tail);
        }

        return new PackOutcome(state.ImageId, state.Digest);
    }

    private sealed class PackOutputState
    {
        private readonly Action<BuildEvent> sink;
        private readonly Queue<string> tail = new();
        private readonly object gate = new();

        public PackOutputState(Action<BuildEvent> sink)
        {
            this.sink = sink;
        }

        public string? Phase { get; private set; }

        public string? ImageId { get; private set; }

        public string? Digest { get; private set; }

        public string? LastLine { get; private set; }

        public IReadOnlyList<string> Tail
        {
            get
            {
                lock (gate)
                {
                    return tail.ToList();
                }
            }
        }

        public void Line(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            // stdout and stderr arrive on two threads; one at a time keeps the order of events sane.
            lock (gate)
            {
                Match phase = PhaseLine.Match(line);
                if (phase.Success)
                {
                    Phase = phase.Groups[1].Value;
                    int index = Array.IndexOf(Phases, Phase);
                    tail.Clear();
                    sink(BuildEvent.StepStarted(index < 0 ? 0 : index + 1, Phases.Length, Phase));
                    return;
                }

                Match digest = DigestLine.Match(line);
                if (digest.Success)
                {
                    Digest = digest.Groups[1].Value;
                }

                Match images = ImagesLine.Match(line);
                if (images.Success)
                {
                    ImageId = images.Groups[1].Value;
                }

                LastLine = line;
                tail.Enqueue(line);
                while (tail.Count > KeptLines)
                {
                    tail.Dequeue();
                }

                sink(BuildEvent.Output(line));
            }
        }
    }
}
