using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// Build-RenkuImage against `docker build` (the CLI, DOCKER_BUILDKIT=0) on the same engine and the
// same context of many files, in one run, alternating the two. Each measured cmdlet build runs in a
// fresh host process (this program in --one-build mode: a PowerShell runspace with the staged
// module, one warm-up build on a tiny context, then the measured build), so its memory is that
// host's peak RSS, with the kernel's high-water mark reset just before the measured build.

string repoRoot = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", ".."));
string manifest = Path.Combine(repoRoot, "out", "Renku.PowerShell", "0.1.0", "Renku.PowerShell.psd1");
string dockerHost = Environment.GetEnvironmentVariable("RENKU_BENCH_DOCKER_HOST") ?? "unix:///tmp/renku-ps-test-docker/docker.sock";
string baseImage = Environment.GetEnvironmentVariable("RENKU_BENCH_BASE_IMAGE") ?? "renku-ps-test/build-base:1";
long targetBytes = long.Parse(Environment.GetEnvironmentVariable("RENKU_BENCH_CONTEXT_BYTES") ?? (1L << 30).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
int fileSize = 128 * 1024;
int rounds = int.Parse(Environment.GetEnvironmentVariable("RENKU_BENCH_ROUNDS") ?? "5", CultureInfo.InvariantCulture);
string workRoot = Environment.GetEnvironmentVariable("RENKU_BENCH_DIR") ?? Path.Combine(Path.GetTempPath(), "renku-ps-bench-build");

if (args.Length == 4 && args[0] == "--one-build")
{
    // Child mode: a fresh host (as a CI step would be) runs one warm-up build on a tiny context,
    // then the measured build; prints seconds, peak RSS and RSS before the build.
    string tiny = Path.Combine(Path.GetTempPath(), "renku-ps-bench-tiny-" + Environment.ProcessId);
    Directory.CreateDirectory(tiny);
    File.WriteAllText(Path.Combine(tiny, "Dockerfile"), File.ReadAllText(Path.Combine(args[2], "Dockerfile")));
    using (Runspace host = OpenRunspace(manifest))
    {
        RunCmdlet(host, args[1], tiny, args[3] + "-warm");
        Directory.Delete(tiny, recursive: true);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        long before = CurrentRss();
        ResetPeakRss();
        double seconds = RunCmdlet(host, args[1], args[2], args[3]);
        long peakRss = PeakRss();
        Run("docker", new[] { "-H", args[1], "rmi", "-f", args[3] + "-warm" }, quiet: true);
        Console.WriteLine(FormattableString.Invariant($"ONE-BUILD {seconds} {peakRss} {before}"));
    }

    return 0;
}

if (!File.Exists(manifest))
{
    Console.Error.WriteLine($"Build the module first (dotnet build): {manifest} is missing.");
    return 2;
}

string context = Path.Combine(workRoot, "context");
try
{
    int files = (int)(targetBytes / fileSize);
    Console.WriteLine($"context: {files} files of {fileSize / 1024} KB in {context}");
    CreateContext(context, files, fileSize);
    File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {baseImage}\nCOPY Dockerfile /bench/\n");

    // Warm up both paths (page cache, engine layer cache) on the real context.
    Console.WriteLine("warm-up ...");
    RunCli(dockerHost, context, "renku-ps-bench/cli:warm");
    OneBuild(dockerHost, context, "renku-ps-bench/cmdlet:warm");

    var cli = new List<double>();
    var cmdlet = new List<double>();
    var peaks = new List<long>();
    var baselines = new List<long>();
    for (int round = 1; round <= rounds; round++)
    {
        if (round % 2 == 1)
        {
            cli.Add(RunCli(dockerHost, context, "renku-ps-bench/cli:" + round));
        }

        (double seconds, long peak, long baseline) = OneBuild(dockerHost, context, "renku-ps-bench/cmdlet:" + round);
        cmdlet.Add(seconds);
        if (round % 2 == 0)
        {
            cli.Add(RunCli(dockerHost, context, "renku-ps-bench/cli:" + round));
        }

        baselines.Add(baseline);
        peaks.Add(peak);
        Console.WriteLine($"round {round}: docker build {cli[^1]:F1} s, Build-RenkuImage {cmdlet[^1]:F1} s, host RSS {Mb(baseline)} MB before, peak {Mb(peak)} MB during");
    }

    double cliMedian = Median(cli);
    double cmdletMedian = Median(cmdlet);

    // The machine is shared: each round's pair ran back to back, so its ratio is the fairer figure.
    List<double> ratios = cmdlet.Zip(cli, (c, d) => c / d).ToList();
    Console.WriteLine();
    Console.WriteLine($"context bytes       : {targetBytes} ({(int)(targetBytes / fileSize)} files)");
    Console.WriteLine($"docker build (CLI)  : median {cliMedian:F1} s  [{string.Join(", ", cli.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))}]");
    Console.WriteLine($"Build-RenkuImage    : median {cmdletMedian:F1} s  [{string.Join(", ", cmdlet.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))}]");
    Console.WriteLine($"wall-time ratio     : median of per-round ratios {Median(ratios):F2} [{string.Join(", ", ratios.Select(v => v.ToString("F2", CultureInfo.InvariantCulture)))}], ratio of medians {cmdletMedian / cliMedian:F2} (target <= 1.20)");
    Console.WriteLine($"peak RSS during build: max {Mb(peaks.Max())} MB (target < 150 MB); growth over the idle host: max {Mb(peaks.Zip(baselines, (p, b) => p - b).Max())} MB");
    bool ok = Median(ratios) <= 1.2 && peaks.Max() < 150L * 1024 * 1024;
    Console.WriteLine(ok ? "RESULT: within targets" : "RESULT: OUTSIDE targets");
    return ok ? 0 : 1;
}
finally
{
    Console.WriteLine("cleaning up ...");
    foreach (string tag in new[] { "renku-ps-bench/cli:warm", "renku-ps-bench/cmdlet:warm" }.Concat(Enumerable.Range(1, rounds).SelectMany(r => new[] { "renku-ps-bench/cli:" + r, "renku-ps-bench/cmdlet:" + r })))
    {
        Run("docker", new[] { "-H", dockerHost, "rmi", "-f", tag }, quiet: true);
    }

    if (Directory.Exists(workRoot))
    {
        Directory.Delete(workRoot, recursive: true);
    }
}

static (double Seconds, long Peak, long Before) OneBuild(string dockerHost, string context, string tag)
{
    var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (string argument in new[] { "--one-build", dockerHost, context, tag })
    {
        info.ArgumentList.Add(argument);
    }

    using Process process = Process.Start(info)!;
    Task<string> stderr = process.StandardError.ReadToEndAsync();
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    string? line = output.Split('\n').FirstOrDefault(l => l.StartsWith("ONE-BUILD ", StringComparison.Ordinal));
    if (process.ExitCode != 0 || line is null)
    {
        throw new InvalidOperationException("The measured build failed: " + output + stderr.Result);
    }

    string[] parts = line.Split(' ');
    return (double.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture), long.Parse(parts[3], CultureInfo.InvariantCulture));
}

static void CreateContext(string directory, int files, int size)
{
    if (Directory.Exists(directory))
    {
        Directory.Delete(directory, recursive: true);
    }

    var random = new Random(7);
    byte[] buffer = new byte[size];
    for (int i = 0; i < files; i++)
    {
        string folder = Path.Combine(directory, "data", "d" + (i / 256).ToString("D3", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        random.NextBytes(buffer);
        File.WriteAllBytes(Path.Combine(folder, "f" + i.ToString("D5", CultureInfo.InvariantCulture) + ".bin"), buffer);
    }
}

static Runspace OpenRunspace(string manifest)
{
    InitialSessionState state = InitialSessionState.CreateDefault2();
    state.ImportPSModule(new[] { manifest });
    Runspace runspace = RunspaceFactory.CreateRunspace(state);
    runspace.Open();
    return runspace;
}

static double RunCmdlet(Runspace runspace, string dockerHost, string context, string tag)
{
    using var ps = PowerShell.Create(runspace);
    ps.AddCommand("Build-RenkuImage").AddParameter("Path", context).AddParameter("Tag", tag).AddParameter("DockerHost", dockerHost).AddParameter("ContextSizeWarning", long.MaxValue);
    var clock = Stopwatch.StartNew();
    var output = ps.Invoke();
    clock.Stop();
    if (ps.HadErrors || output.Count != 1)
    {
        throw new InvalidOperationException("Build-RenkuImage failed: " + string.Join("; ", ps.Streams.Error.Select(e => e.ToString())));
    }

    return clock.Elapsed.TotalSeconds;
}

static double RunCli(string dockerHost, string context, string tag)
{
    var clock = Stopwatch.StartNew();
    Run("docker", new[] { "-H", dockerHost, "build", "-q", "-t", tag, context }, quiet: false, environment: new Dictionary<string, string> { ["DOCKER_BUILDKIT"] = "0" });
    clock.Stop();
    return clock.Elapsed.TotalSeconds;
}

static void Run(string file, string[] arguments, bool quiet, Dictionary<string, string>? environment = null)
{
    var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (string argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    foreach (var pair in environment ?? new Dictionary<string, string>())
    {
        info.Environment[pair.Key] = pair.Value;
    }

    using Process process = Process.Start(info)!;
    Task<string> stdout = process.StandardOutput.ReadToEndAsync();
    Task<string> stderr = process.StandardError.ReadToEndAsync();
    if (!process.WaitForExit(TimeSpan.FromMinutes(20)))
    {
        process.Kill(entireProcessTree: true);
        throw new TimeoutException(file + " did not finish in 20 minutes");
    }

    if (process.ExitCode != 0 && !quiet)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed: {stderr.Result}{stdout.Result}");
    }
}

// Linux: writing 5 to clear_refs resets VmHWM (the peak resident set) to the current RSS.
static void ResetPeakRss() => File.WriteAllText("/proc/self/clear_refs", "5");

static long PeakRss() => StatusKb("VmHWM:") * 1024;

static long CurrentRss() => StatusKb("VmRSS:") * 1024;

static long StatusKb(string field)
{
    string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
    return long.Parse(line.Substring(field.Length).Trim().Split(' ')[0], CultureInfo.InvariantCulture);
}

static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);

static double Median(List<double> values)
{
    var sorted = values.OrderBy(v => v).ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
