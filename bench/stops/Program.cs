using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

// The stop soak. For each scenario: one run to the end to learn how long it takes (D), then N runs
// each stopped (PowerShell.Stop, what Ctrl+C and Stop-Job do) after a random delay in [0, D]. The
// moment Stop returns, the engine, the cluster and the temp folder are searched for anything left.
// Arguments: [iterations per scenario=50] [seed=random] [only the scenarios whose command contains this text]. Needs RENKU_TEST_DOCKER_HOST: an engine
// nothing else uses while this runs (run.sh starts one).
int iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
int seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : Environment.TickCount;
string only = args.Length > 2 ? args[2] : string.Empty;
string host = Environment.GetEnvironmentVariable("RENKU_TEST_DOCKER_HOST") ?? throw new InvalidOperationException("Set RENKU_TEST_DOCKER_HOST to an engine of the soak's own (bench/stops/run.sh does).");
var random = new Random(seed);

string context = Directory.CreateTempSubdirectory("renku-soak-context-").FullName;
string temp = Directory.CreateTempSubdirectory("renku-soak-tmp-").FullName;
string image = SessionTestImages.Compliant;

// From here on, temp files of this process (the module's among them) land in a folder of the soak's own.
Environment.SetEnvironmentVariable("TMPDIR", temp);
File.WriteAllText(Path.Combine(context, "Dockerfile"), $"FROM {image}\nUSER root\nRUN sleep 1 && echo one > /srv/one\nRUN sleep 1 && echo two > /srv/two\nUSER 1000\n");

await using FakeKubernetesServer cluster = await FakeKubernetesServer.StartAsync();
cluster.Scenario = PodScenario.Ready(TimeSpan.FromMilliseconds(300));
string kubeconfig = cluster.WriteKubeconfig(Path.Combine(context, "kubeconfig"));

InitialSessionState state = InitialSessionState.CreateDefault2();
state.ImportPSModule(new[] { RepoPaths.StagedManifest });
using Runspace runspace = RunspaceFactory.CreateRunspace(state);
runspace.Open();

var scenarios = new (string Name, Func<int, PowerShell> Start)[]
{
    ("Test-RenkuImageCompliance -Runtime Docker", _ => PowerShell.Create(runspace).AddCommand("Test-RenkuImageCompliance")
        .AddParameter("Image", new[] { image }).AddParameter("Source", "Docker").AddParameter("DockerHost", host)
        .AddParameter("Runtime", "Docker").AddParameter("Port", FreePort.Next()).AddParameter("ProbeTimeout", 20)),
    ("Test-RenkuImageCompliance -Runtime Kubernetes", _ => PowerShell.Create(runspace).AddCommand("Test-RenkuImageCompliance")
        .AddParameter("Image", new[] { image }).AddParameter("Source", "Docker").AddParameter("DockerHost", host)
        .AddParameter("Runtime", "Kubernetes").AddParameter("Kubeconfig", kubeconfig).AddParameter("ProbeTimeout", 60)),
    ("Build-RenkuImage -Verify", i => PowerShell.Create(runspace).AddCommand("Build-RenkuImage")
        .AddParameter("Path", context).AddParameter("Tag", new[] { $"renku-soak/build:{i}" }).AddParameter("DockerHost", host)
        .AddParameter("Verify").AddParameter("NoCache")),
};

Console.WriteLine($"seed {seed}, {iterations} stops per scenario, engine {host}");
var rows = new List<string>();
bool clean = true;
foreach ((string name, Func<int, PowerShell> start) in scenarios.Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)))
{
    // Two runs to the end (the first warms up): how long the whole command takes, so that stops fall anywhere in it.
    var full = new Stopwatch();
    for (int warm = 0; warm < 2; warm++)
    {
        full.Restart();
        using PowerShell ps = start(0);
        ps.Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException($"{name} failed when run to the end: {string.Join("; ", ps.Streams.Error)}");
        }

        full.Stop();
        Tidy();
    }

    Tidy();
    var stops = new List<double>();
    var lefts = new List<string>();
    int stoppedBeforeTheEnd = 0;
    for (int i = 1; i <= iterations; i++)
    {
        using PowerShell ps = start(i);
        IAsyncResult running = ps.BeginInvoke();
        Thread.Sleep(TimeSpan.FromMilliseconds(random.NextDouble() * full.Elapsed.TotalMilliseconds));
        var stop = Stopwatch.StartNew();
        ps.Stop();
        stop.Stop();
        running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(30));
        if (ps.InvocationStateInfo.State == PSInvocationState.Stopped)
        {
            stoppedBeforeTheEnd++;
            stops.Add(stop.Elapsed.TotalMilliseconds);
        }
        else if (ps.InvocationStateInfo.State != PSInvocationState.Completed)
        {
            clean = false;
            lefts.Add($"run {i}: ended {ps.InvocationStateInfo.State}: {ps.InvocationStateInfo.Reason?.Message}");
        }

        // Searched the moment Stop returned: what the cmdlet created must already be gone.
        IReadOnlyList<string> left = Leftovers();
        if (left.Count > 0)
        {
            clean = false;
            lefts.Add($"run {i}: {string.Join(", ", left)}");
        }

        Tidy();
    }

    stops.Sort();
    string median = stops.Count == 0 ? "-" : (stops[stops.Count / 2] / 1000).ToString("0.00", CultureInfo.InvariantCulture);
    string max = stops.Count == 0 ? "-" : (stops[^1] / 1000).ToString("0.00", CultureInfo.InvariantCulture);
    string row = $"| {name} | {full.Elapsed.TotalSeconds:0.0} s | {iterations} | {stoppedBeforeTheEnd} | {median} s | {max} s | {lefts.Count} |";
    rows.Add(row);
    Console.WriteLine(row);
    foreach (string left in lefts)
    {
        Console.WriteLine("  left: " + left);
    }
}

Console.WriteLine();
Console.WriteLine("| command | run to the end | stops | stopped before the end | stop to return, median | max | runs with leftovers |");
Console.WriteLine("|---|---|---|---|---|---|---|");
rows.ForEach(Console.WriteLine);
Directory.Delete(context, recursive: true);
Directory.Delete(temp, recursive: true);
return clean ? 0 : 1;

// Everything in the soak's own engine and cluster is the soak's: any container, volume or pod
// (and any file in its temp folder) found after a stop is left over.
IReadOnlyList<string> Leftovers()
{
    var found = new List<string>();
    found.AddRange(Lines("ps", "-a", "--format", "container {{.Names}} ({{.Status}})"));
    found.AddRange(Lines("volume", "ls", "--format", "volume {{.Name}}"));
    found.AddRange(cluster.Store.List("pods", "renku", _ => true).Items.Select(p => "pod " + ObjectStore.Name(p)));
    found.AddRange(Directory.EnumerateFileSystemEntries(temp).Select(f => "temp file " + Path.GetFileName(f)));
    return found;
}

// Between runs: remove what a failed run left (so the next run is judged alone) and the images the
// builds made (vfs keeps a full copy of each).
void Tidy()
{
    foreach (string container in Lines("ps", "-a", "-q"))
    {
        DockerDaemon.Cli(TimeSpan.FromSeconds(60), "rm", "-f", container);
    }

    foreach (string volume in Lines("volume", "ls", "-q"))
    {
        DockerDaemon.Cli(TimeSpan.FromSeconds(60), "volume", "rm", "-f", volume);
    }

    foreach (string built in Lines("images", "-q", "renku-soak/build"))
    {
        DockerDaemon.Cli(TimeSpan.FromSeconds(60), "rmi", "-f", built);
    }

    DockerDaemon.Cli(TimeSpan.FromSeconds(120), "image", "prune", "-f");
    foreach (var pod in cluster.Store.List("pods", "renku", _ => true).Items)
    {
        cluster.Store.Delete("pods", "renku", ObjectStore.Name(pod));
    }

    foreach (string entry in Directory.EnumerateFileSystemEntries(temp))
    {
        if (Directory.Exists(entry))
        {
            Directory.Delete(entry, recursive: true);
        }
        else
        {
            File.Delete(entry);
        }
    }
}

static string[] Lines(params string[] arguments) =>
    DockerDaemon.Cli(TimeSpan.FromSeconds(60), arguments).EnsureSuccess("docker " + string.Join(' ', arguments)).StdOut
        .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
