using System.Diagnostics;
using System.Globalization;

using Renku.PowerShell;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

// Static compliance of N images on a loopback registry: each image alone (fresh inspector, the
// way a one-off check runs), then all of them concurrently with a bounded number in flight and
// one shared inspector (one HTTP client and token cache). The target: the concurrent wall time is
// at most 1.5x the slowest single image.
int count = ArgValue("--images", 20);
int throttle = ArgValue("--throttle", 16);
int paddingKb = ArgValue("--padding-kb", 256);
int rounds = ArgValue("--rounds", 5);
int latencyMs = ArgValue("--latency-ms", 20);
int minThreads = ArgValue("--min-threads", 0);
if (minThreads > 0)
{
    // For diagnosis: rules out thread-pool growth as what limits the concurrent phase.
    ThreadPool.SetMinThreads(minThreads, minThreads);
}

using RegistryServer registry = RegistryServer.Start();
using (var pusher = new RegistryPusher(registry.BaseUri))
{
    for (int i = 0; i < count; i++)
    {
        pusher.Push($"bench/image{i:00}", "1.0.0", ComplianceImages.Session(padding: paddingKb * 1024, seed: i + 1));
    }
}

// A loopback TCP relay holds every request for a fixed time, as the round trip to a real registry
// would, without parsing HTTP on the machine being measured (0 measures the bare loopback registry,
// where only CPU is left to overlap). `--http-proxy` uses the HTTP fault proxy instead, whose own
// parsing and copying share the two cores with the checks.
bool httpProxy = args.Contains("--http-proxy");
using FaultProxy? faultProxy = httpProxy
    ? FaultProxy.Start(registry.BaseUri, async _ =>
    {
        if (latencyMs > 0)
        {
            await Task.Delay(latencyMs);
        }

        return false;
    })
    : null;
using TcpLatencyProxy? relay = httpProxy ? null : new TcpLatencyProxy(registry.Port, TimeSpan.FromMilliseconds(latencyMs));
string proxyHost = faultProxy?.Host ?? relay!.Host;
var references = Enumerable.Range(0, count).Select(i => ImageReference.Parse($"{proxyHost}/bench/image{i:00}:1.0.0")).ToList();

Console.WriteLine($"{count} images ({paddingKb} KiB payload layer each) behind a {latencyMs} ms-per-request {(httpProxy ? "HTTP proxy" : "TCP relay")}; throttle {throttle}; {rounds} rounds; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// Warm-up: JIT, connection setup, the registry's first reads.
await CheckAloneAsync(references[0]);

var ratios = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    var singles = new List<double>();
    foreach (ImageReference reference in references)
    {
        singles.Add(await CheckAloneAsync(reference));
    }

    double slowest = singles.Max();
    double concurrent = await CheckConcurrentlyAsync(references, throttle);
    double ratio = concurrent / slowest;
    ratios.Add(ratio);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: single median {Median(singles):0.0} ms, slowest {slowest:0.0} ms, sum {singles.Sum():0.0} ms; concurrent {concurrent:0.0} ms; ratio {ratio:0.00}"));
}

double best = ratios.Min();
double median = Median(ratios);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio concurrent / slowest single: median {median:0.00}, best {best:0.00} (target <= 1.50): {(median <= 1.5 ? "met" : "NOT met")}"));
return median <= 1.5 ? 0 : 1;

static async Task<double> CheckAloneAsync(ImageReference reference)
{
    var clock = Stopwatch.StartNew();
    using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
    ComplianceReport report = await new ComplianceRunner(inspector).CheckAsync(new ComplianceJob { Image = reference.FullName, Source = ComplianceImageSource.Registry }, null, CancellationToken.None);
    Verify(report);
    return clock.Elapsed.TotalMilliseconds;
}

static async Task<double> CheckConcurrentlyAsync(IReadOnlyList<ImageReference> references, int throttle)
{
    var clock = Stopwatch.StartNew();
    using var inspector = new ImageInspector(new RegistryClientOptions { UseDockerConfig = false });
    var runner = new ComplianceRunner(inspector);
    using var gate = new SemaphoreSlim(throttle);
    ComplianceReport[] reports = await Task.WhenAll(references.Select(async reference =>
    {
        await gate.WaitAsync();
        try
        {
            return await runner.CheckAsync(new ComplianceJob { Image = reference.FullName, Source = ComplianceImageSource.Registry }, null, CancellationToken.None);
        }
        finally
        {
            gate.Release();
        }
    }));
    foreach (ComplianceReport report in reports)
    {
        Verify(report);
    }

    return clock.Elapsed.TotalMilliseconds;
}

static void Verify(ComplianceReport report)
{
    // A benchmark that measures failures measures nothing: every image must really be read.
    if (!report.Passed || report.Distribution is null)
    {
        throw new InvalidOperationException($"{report.Image} did not pass: {string.Join("; ", report.Failures.Select(f => f.RuleId + " " + f.Message))}");
    }
}

static double Median(IReadOnlyList<double> values)
{
    double[] sorted = values.OrderBy(v => v).ToArray();
    return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
}

int ArgValue(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
}
