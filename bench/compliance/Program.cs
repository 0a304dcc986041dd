using System.Diagnostics;
using System.Globalization;

using Renku.PowerShell;
using Renku.PowerShell.Registry;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Images;

// Static compliance of N images on a loopback registry: each image alone (fresh inspector, the
// way a one-off check runs), then all of them concurrently with a bounded number in flight and
// one shared inspector (one HTTP client, token cache, config cache and shared-layer records, as
// Test-RenkuImageCompliance shares them). The target: the concurrent wall time is at most 1.5x
// the slowest single image. `--registry-cost` instead prints the registry's own CPU per request.
int count = ArgValue("--images", 20);
int throttle = ArgValue("--throttle", 32); // Test-RenkuImageCompliance's default for static checks
int paddingKb = ArgValue("--padding-kb", 256);
int rounds = ArgValue("--rounds", 5);
int latencyMs = ArgValue("--latency-ms", 20);
int minThreads = ArgValue("--min-threads", 0);
if (minThreads > 0)
{
    // For diagnosis: rules out thread-pool growth as what limits the concurrent phase.
    ThreadPool.SetMinThreads(minThreads, minThreads);
}

// Where blob bytes come from. "redirect" (the default): the registry answers blob downloads
// with a redirect to a static blob host (nginx), as Docker Hub, ghcr.io, Quay and GitLab with
// object storage do; the host sits behind its own latency relay. "registry": docker-registry
// streams blob bytes itself, which on this machine costs it ~5 ms of CPU per download (it
// allocates a 4 MiB read buffer per request) on the same two cores the checks run on.
string serveBlobs = ArgText("--serve-blobs", "redirect");
if (serveBlobs is not ("redirect" or "registry"))
{
    Console.Error.WriteLine("--serve-blobs takes redirect or registry");
    return 2;
}

bool redirect = serveBlobs == "redirect";
int blobHostPort = FreePort.Next();
using TcpLatencyProxy? blobRelay = redirect ? new TcpLatencyProxy(blobHostPort, TimeSpan.FromMilliseconds(latencyMs)) : null;
using RegistryServer registry = redirect
    ? RegistryServer.Start(null, null, $"middleware:\n  storage:\n    - name: redirect\n      options:\n        baseurl: http://{blobRelay!.Host}\n")
    : RegistryServer.Start();
using BlobHost? blobHost = redirect ? BlobHost.Start(registry.StorageDirectory, blobHostPort) : null;
using (var pusher = new RegistryPusher(registry.BaseUri))
{
    for (int i = 0; i < count; i++)
    {
        pusher.Push($"bench/image{i:00}", "1.0.0", ComplianceImages.Session(padding: paddingKb * 1024, seed: i + 1));
    }
}

if (args.Contains("--registry-cost"))
{
    // Diagnosis: the registry's own CPU per request, by kind, with a plain HTTP client.
    await MeasureRegistryCostAsync(registry);
    return 0;
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

Console.WriteLine($"{count} images ({paddingKb} KiB payload layer each) behind a {latencyMs} ms-per-request {(httpProxy ? "HTTP proxy" : "TCP relay")}; blobs served by {(redirect ? "a redirect to a static blob host" : "the registry")}; throttle {throttle}; {rounds} rounds; {Environment.ProcessorCount} cores; load {File.ReadAllText("/proc/loadavg").Split(' ')[0]}");

// Warm-up, not measured: both phases once, so that the JIT has compiled (and re-compiled at its
// optimising tier) the code the rounds run, and the registry has read every blob once.
int warmups = ArgValue("--warmup", 2);
for (int i = 0; i < warmups; i++)
{
    foreach (ImageReference reference in references)
    {
        await CheckAloneAsync(reference);
    }

    await CheckConcurrentlyAsync(references, throttle);
}

var ratios = new List<double>();
for (int round = 1; round <= rounds; round++)
{
    var singles = new List<double>();
    foreach (ImageReference reference in references)
    {
        singles.Add(await CheckAloneAsync(reference));
    }

    double slowest = singles.Max();
    TimeSpan ownCpu = Process.GetCurrentProcess().TotalProcessorTime;
    TimeSpan registryCpu = registry.ProcessorTime + (blobHost?.ProcessorTime ?? TimeSpan.Zero);
    int relayed = relay?.Requests ?? 0;
    int blobRequests = blobRelay?.Requests ?? 0;
    double concurrent = await CheckConcurrentlyAsync(references, throttle);
    ownCpu = Process.GetCurrentProcess().TotalProcessorTime - ownCpu;
    registryCpu = registry.ProcessorTime + (blobHost?.ProcessorTime ?? TimeSpan.Zero) - registryCpu;
    relayed = (relay?.Requests ?? 0) - relayed;
    blobRequests = (blobRelay?.Requests ?? 0) - blobRequests;
    double ratio = concurrent / slowest;
    ratios.Add(ratio);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"round {round}: single median {Median(singles):0.0} ms, slowest {slowest:0.0} ms, sum {singles.Sum():0.0} ms; concurrent {concurrent:0.0} ms (CPU: checks {ownCpu.TotalMilliseconds:0} ms, registry{(redirect ? " and blob host" : string.Empty)} {registryCpu.TotalMilliseconds:0} ms; {relayed} registry requests{(redirect ? $", {blobRequests} blob host requests" : string.Empty)}); ratio {ratio:0.00}"));
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

static async Task MeasureRegistryCostAsync(RegistryServer registry)
{
    using var http = new HttpClient { BaseAddress = registry.BaseUri };
    var accept = "application/vnd.oci.image.manifest.v1+json, application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.v2+json, application/vnd.docker.distribution.manifest.list.v2+json";
    var get = new HttpRequestMessage(HttpMethod.Get, "v2/bench/image00/manifests/1.0.0");
    get.Headers.TryAddWithoutValidation("Accept", accept);
    string manifest = await (await http.SendAsync(get)).Content.ReadAsStringAsync();
    var doc = System.Text.Json.JsonDocument.Parse(manifest).RootElement;
    string config = doc.GetProperty("config").GetProperty("digest").GetString()!;
    var layers = doc.GetProperty("layers").EnumerateArray().Select(l => l.GetProperty("digest").GetString()!).ToList();
    async Task Measure(string label, Func<HttpRequestMessage> make, int n)
    {
        TimeSpan before = registry.ProcessorTime;

        TimeSpan own = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < n; i++)
        {
            using HttpResponseMessage response = await http.SendAsync(make(), HttpCompletionOption.ResponseHeadersRead);
            await (await response.Content.ReadAsStreamAsync()).CopyToAsync(Stream.Null);
        }

        double registryMs = (registry.ProcessorTime - before).TotalMilliseconds / n;

        double ownMs = (Process.GetCurrentProcess().TotalProcessorTime - own).TotalMilliseconds / n;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{label}: {clock.Elapsed.TotalMilliseconds / n:0.00} ms wall, registry CPU {registryMs:0.00} ms, client CPU {ownMs:0.00} ms per request"));
    }

    for (int pass = 0; pass < 2; pass++)
    {
        await Measure("GET /v2/", () => new HttpRequestMessage(HttpMethod.Get, "v2/"), 200);
        await Measure("GET manifest", () =>
        {
            var m = new HttpRequestMessage(HttpMethod.Get, "v2/bench/image00/manifests/1.0.0");
            m.Headers.TryAddWithoutValidation("Accept", accept);
            return m;
        }, 200);
        await Measure("HEAD manifest", () =>
        {
            var m = new HttpRequestMessage(HttpMethod.Head, "v2/bench/image00/manifests/1.0.0");
            m.Headers.TryAddWithoutValidation("Accept", accept);
            return m;
        }, 200);
        await Measure("GET config", () => new HttpRequestMessage(HttpMethod.Get, $"v2/bench/image00/blobs/{config}"), 200);
        foreach (string layer in layers)
        {
            await Measure("GET layer " + layer[..15], () => new HttpRequestMessage(HttpMethod.Get, $"v2/bench/image00/blobs/{layer}"), 200);
        }
    }
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

string ArgText(string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

int ArgValue(string name, int fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], out int value) ? value : fallback;
}
