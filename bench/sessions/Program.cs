using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

using k8s;

using Renku.PowerShell;
using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.Kubernetes;

int sessions = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 5;
double latencyMs = args.Length > 2 ? double.Parse(args[2], CultureInfo.InvariantCulture) : 0;

await using FakeKubernetesServer server = await FakeKubernetesServer.StartAsync();
for (int i = 0; i < sessions; i++)
{
    server.AddSession(new FakeSession { Name = $"session-{i:D6}", LauncherId = $"L{i % 50}", RestartCount = i % 3 });
}

string kubeconfig = server.WriteKubeconfig(Path.Combine(Path.GetTempPath(), $"renku-bench-{Environment.ProcessId}.yaml"));
var target = new KubernetesTarget { Kubeconfig = kubeconfig };

// Usage: [sessions=2000] [rounds=5] [latency-ms=0]
// Baseline: what a script does with kubectl-like calls — list the sessions, then read each pod.
async Task<int> Naive()
{
    using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
    int found = 0;
    string? token = null;
    do
    {
        JsonElement page = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("amalthea.dev", "v1alpha1", "renku", "amaltheasessions", continueParameter: token, limit: 250);
        foreach (JsonElement item in page.GetProperty("items").EnumerateArray())
        {
            string name = item.GetProperty("metadata").GetProperty("name").GetString()!;
            var pod = await client.CoreV1.ReadNamespacedPodAsync(name + "-0", "renku");
            found += pod.Status.ContainerStatuses.Count > 0 ? 1 : 0;
        }

        token = page.GetProperty("metadata").TryGetProperty("continue", out JsonElement c) ? c.GetString() : null;
    }
    while (!string.IsNullOrEmpty(token));
    return found;
}

async Task<int> Joined() => (await RenkuSessionReader.GetAsync(target, new RenkuSessionQuery(), CancellationToken.None)).Count(s => s.RestartCount is not null);

async Task<(double Ms, long Bytes, int Requests, int Count)> Measure(Func<Task<int>> run)
{
    int before = server.Requests.Count;
    long allocated = GC.GetTotalAllocatedBytes(precise: true);
    var clock = Stopwatch.StartNew();
    int count = await run();
    clock.Stop();
    return (clock.Elapsed.TotalMilliseconds, GC.GetTotalAllocatedBytes(precise: true) - allocated, server.Requests.Count - before, count);
}

// Warm up both paths (JIT, connections), then add the stand-in network delay.
await Naive();
await Joined();
server.Latency = TimeSpan.FromMilliseconds(latencyMs);

var naive = new List<(double Ms, long Bytes, int Requests, int Count)>();
var joined = new List<(double Ms, long Bytes, int Requests, int Count)>();
for (int r = 0; r < rounds; r++)
{
    naive.Add(await Measure(Naive));
    joined.Add(await Measure(Joined));
}

static double Median(IEnumerable<double> values)
{
    var sorted = values.OrderBy(v => v).ToArray();
    return sorted[sorted.Length / 2];
}

double naiveMs = Median(naive.Select(n => n.Ms));
double joinedMs = Median(joined.Select(j => j.Ms));
Console.WriteLine($"sessions: {sessions}, rounds: {rounds} (median), added latency per request: {latencyMs} ms");
Console.WriteLine($"naive  (list + GET per pod): {naiveMs,9:F1} ms  {naive[0].Requests,6} requests  {Median(naive.Select(n => (double)n.Bytes)) / 1048576,8:F1} MiB allocated  sessions {naive[0].Count}");
Console.WriteLine($"joined (Get-RenkuSession):   {joinedMs,9:F1} ms  {joined[0].Requests,6} requests  {Median(joined.Select(j => (double)j.Bytes)) / 1048576,8:F1} MiB allocated  sessions {joined[0].Count}");
Console.WriteLine($"speed-up: {naiveMs / joinedMs:F1}x, requests: {(double)naive[0].Requests / joined[0].Requests:F0}x fewer");
File.Delete(kubeconfig);
