using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.Bench.Upgrades;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

// Audit 1,000 environments over 50 repositories of 300 tags each through a proxy adding 20 ms per
// request: Get-RenkuImageUpgrade (one listing per repository, concurrent) against the naive
// baseline, `skopeo list-tags` once per input, one after the other.
const int Repositories = 50;
const int Environments = 1000;
TimeSpan latency = TimeSpan.FromMilliseconds(20);

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
string skopeo = Requires.Which("skopeo") ?? throw new InvalidOperationException("skopeo is needed: apt-get install skopeo");
if (Requires.Which("docker-registry") is null)
{
    throw new InvalidOperationException("docker-registry is needed: apt-get install docker-registry");
}

using RegistryServer registry = RegistryServer.Start();
using var proxy = new LatencyProxy(registry.BaseUri, latency);

// 300 tags per repository: 3 majors x 20 minors x 5 patches.
string[] tags = Enumerable.Range(1, 3).SelectMany(major => Enumerable.Range(0, 20).SelectMany(minor => Enumerable.Range(0, 5).Select(patch => $"{major}.{minor}.{patch}"))).ToArray();
var seedClock = Stopwatch.StartNew();
using (var seeder = new RegistrySeeder(registry))
{
    for (int r = 0; r < Repositories; r++)
    {
        seeder.PushTagsAsync($"renku/env{r:00}", tags, distinctDigests: true, parallelism: 16).GetAwaiter().GetResult();
    }
}

Console.WriteLine($"seeded {Repositories} repositories x {tags.Length} tags in {seedClock.Elapsed.TotalSeconds:F1} s");

string host = $"127.0.0.1:{proxy.Port}";
var random = new Random(42);
var environments = Enumerable.Range(0, Environments).Select(i =>
{
    var environment = new PSObject();
    environment.Properties.Add(new PSNoteProperty("Name", $"environment {i}"));
    environment.Properties.Add(new PSNoteProperty("Id", $"01J{i:D23}"));
    environment.Properties.Add(new PSNoteProperty("Image", $"{host}/renku/env{i % Repositories:00}:{tags[random.Next(tags.Length)]}"));
    return environment;
}).ToList();

// The module, as a user runs it: the staged manifest in a runspace.
string manifest = RepoPaths.StagedManifest;
InitialSessionState state = InitialSessionState.CreateDefault2();
state.ImportPSModule(new[] { manifest });
using Runspace runspace = RunspaceFactory.CreateRunspace(state);
runspace.Open();

// Warm up the engine (JIT, module load) on one input that is not counted.
using (var warm = PowerShell.Create(runspace))
{
    warm.AddCommand("Get-RenkuImageUpgrade").AddParameter("InputObject", new object[] { $"{host}/renku/env00:1.0.0" }).Invoke();
}

proxy.Reset();
var moduleClock = Stopwatch.StartNew();
List<PSObject> rows;
using (var ps = PowerShell.Create(runspace))
{
    rows = ps.AddCommand("Get-RenkuImageUpgrade").AddParameter("InputObject", environments.Cast<object>().ToArray()).Invoke().ToList();
    if (ps.HadErrors)
    {
        throw new InvalidOperationException("Get-RenkuImageUpgrade failed: " + string.Join("; ", ps.Streams.Error));
    }
}

moduleClock.Stop();
int moduleListings = proxy.TagListings.Values.Sum();
int maxPerRepository = proxy.TagListings.Values.DefaultIfEmpty(0).Max();
int moduleRequests = proxy.TotalRequests;
int repositoriesListed = proxy.TagListings.Count;
int upToDate = rows.Count(r => r.Properties["Status"].Value.ToString() == "UpToDate");
Console.WriteLine($"Get-RenkuImageUpgrade: {rows.Count} rows ({upToDate} up to date) in {moduleClock.Elapsed.TotalSeconds:F2} s; {moduleListings} tag listings over {repositoriesListed} repositories (max {maxPerRepository} per repository), {moduleRequests} requests in all");

proxy.Reset();
var baselineClock = Stopwatch.StartNew();
foreach (PSObject environment in environments)
{
    string image = (string)environment.Properties["Image"].Value;
    string repository = image.Substring(0, image.LastIndexOf(':'));
    ProcessRunner.Run(skopeo, new[] { "list-tags", "--tls-verify=false", "docker://" + repository }, TimeSpan.FromSeconds(60)).EnsureSuccess("skopeo list-tags");
}

baselineClock.Stop();
int baselineListings = proxy.TagListings.Values.Sum();
Console.WriteLine($"skopeo list-tags per input: {Environments} runs in {baselineClock.Elapsed.TotalSeconds:F2} s; {baselineListings} tag listings, {proxy.TotalRequests} requests in all");

double ratio = baselineClock.Elapsed.TotalSeconds / moduleClock.Elapsed.TotalSeconds;
Console.WriteLine();
Console.WriteLine("| measure | Get-RenkuImageUpgrade | skopeo list-tags per input |");
Console.WriteLine("|---|---|---|");
Console.WriteLine($"| wall time | {moduleClock.Elapsed.TotalSeconds:F2} s | {baselineClock.Elapsed.TotalSeconds:F2} s |");
Console.WriteLine($"| tag listings ({Repositories} repositories) | {moduleListings} (max {maxPerRepository} per repository) | {baselineListings} |");
Console.WriteLine($"| requests in all | {moduleRequests} | {proxy.TotalRequests} |");
Console.WriteLine($"| speed-up | {ratio:F1}x | 1x |");

bool ok = maxPerRepository == 1 && repositoriesListed == Repositories && moduleListings == Repositories && ratio >= 20;
Console.WriteLine(ok ? "targets met: one listing per repository, >= 20x faster" : "TARGETS NOT MET");
return ok ? 0 : 1;
