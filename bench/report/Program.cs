using System.Collections.ObjectModel;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Security;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

// The fleet report over 200 global environments sharing 20 repositories (2 tags in use each, so
// 40 distinct images), 150 launchers and 100 sessions: Get-RenkuEnvironmentReport (one run)
// against the four cmdlets it joins run one environment at a time (Test-RenkuImageCompliance,
// Get-RenkuImageUpgrade, Get-RenkuSessionLauncher, Get-RenkuSession). The registry sits behind a
// proxy that holds every request for 20 ms (the round trip to a real registry) and counts them.
const int Repositories = 20;
const int Environments = 200;
int latencyMs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
if (Requires.Which("docker-registry") is null)
{
    throw new InvalidOperationException("docker-registry is needed: apt-get install docker-registry");
}

string work = Directory.CreateTempSubdirectory("renku-bench-report-").FullName;
using RegistryServer registry = RegistryServer.Start();
using RenkuTestServer renku = RenkuTestServer.Start();
await using FakeKubernetesServer cluster = await FakeKubernetesServer.StartAsync();
using FaultProxy proxy = FaultProxy.Start(registry.BaseUri, async f =>
{
    await Task.Delay(latencyMs, f.Stopping).ConfigureAwait(false);
    return false;
});

try
{
    string[] tags = { "1.0.0", "1.1.0", "2.0.0" };
    var seedClock = Stopwatch.StartNew();
    using (var pusher = new RegistryPusher(registry.BaseUri))
    {
        for (int r = 0; r < Repositories; r++)
        {
            for (int t = 0; t < tags.Length; t++)
            {
                pusher.Push($"renku/env{r:00}", tags[t], ComplianceImages.Session(seed: r * 10 + t + 1));
            }
        }
    }

    string host = proxy.Host;
    var launchers = new List<string>();
    for (int i = 0; i < Environments; i++)
    {
        string image = $"{host}/renku/env{i % Repositories:00}:{tags[(i / Repositories) % 2]}";
        renku.Data.SetImageCheck(image, accessible: true, null, "linux/amd64");
        string id = renku.Data.AddEnvironment($"Environment {i:000}", image, port: 8888, defaultUrl: "/", archived: i % 25 == 0, workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work");
        if (i % 4 != 3)
        {
            launchers.Add(renku.Data.AddLauncher($"Launcher {i:000}", id));
        }
    }

    for (int s = 0; s < 100; s++)
    {
        int environment = s * 2 % Environments;
        cluster.AddSession(new FakeSession { Name = $"session-{s:000}", LauncherId = launchers[s % launchers.Count], Image = $"{host}/renku/env{environment % Repositories:00}:1.0.0", RestartCount = s % 7 });
    }

    string kubeconfig = cluster.WriteKubeconfig(Path.Combine(work, "kubeconfig"));
    Console.WriteLine($"seeded {Repositories * tags.Length} images, {Environments} environments, {launchers.Count} launchers, 100 sessions in {seedClock.Elapsed.TotalSeconds:F1} s; {latencyMs} ms per registry request");

    InitialSessionState state = InitialSessionState.CreateDefault2();
    state.ImportPSModule(new[] { RepoPaths.StagedManifest });
    var token = new SecureString();
    foreach (char c in renku.Keycloak.IssueAccessToken("admin"))
    {
        token.AppendChar(c);
    }

    state.Variables.Add(new SessionStateVariableEntry("uri", renku.Uri, string.Empty));
    state.Variables.Add(new SessionStateVariableEntry("token", token, string.Empty));
    state.Variables.Add(new SessionStateVariableEntry("kubeconfig", kubeconfig, string.Empty));
    using Runspace runspace = RunspaceFactory.CreateRunspace(state);
    runspace.Open();

    Collection<PSObject> Invoke(string script)
    {
        using var ps = PowerShell.Create(runspace);
        Collection<PSObject> output = ps.AddScript(script).Invoke();
        if (ps.HadErrors)
        {
            throw new InvalidOperationException(script + " failed: " + string.Join("; ", ps.Streams.Error));
        }

        return output;
    }

    Invoke("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null");
    Collection<PSObject> environments = Invoke("Get-RenkuGlobalEnvironment -IncludeArchived");
    if (environments.Count != Environments)
    {
        throw new InvalidOperationException($"expected {Environments} environments, read {environments.Count}");
    }

    // Warm up both sides (JIT, module load) on environments of a repository of their own.
    runspace.SessionStateProxy.SetVariable("one", environments[0]);
    Invoke("$one | Get-RenkuEnvironmentReport -Kubeconfig $kubeconfig | Out-Null");
    Invoke("$one | Test-RenkuImageCompliance | Out-Null; $one | Get-RenkuImageUpgrade | Out-Null; $one | Get-RenkuSessionLauncher | Out-Null; $one | Get-RenkuSession -Kubeconfig $kubeconfig | Out-Null");

    (int Requests, int Listings, int MaxListings, int ManifestReads, int MaxManifestReads, int Blobs, int Api, int Kube) Count(int registryBefore, int apiBefore, int kubeBefore)
    {
        var registryRequests = proxy.Requests.Skip(registryBefore).ToList();
        var listings = registryRequests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/tags/list", StringComparison.Ordinal)).GroupBy(r => r.PathAndQuery.Split('?')[0]).ToList();
        var manifests = registryRequests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/manifests/", StringComparison.Ordinal)).GroupBy(r => r.PathAndQuery).ToList();
        return (
            registryRequests.Count,
            listings.Sum(g => g.Count()),
            listings.Select(g => g.Count()).DefaultIfEmpty(0).Max(),
            manifests.Sum(g => g.Count()),
            manifests.Select(g => g.Count()).DefaultIfEmpty(0).Max(),
            registryRequests.Count(r => r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal)),
            renku.Data.Requests.Count - apiBefore,
            cluster.Requests.Count - kubeBefore);
    }

    // The report, once for the fleet.
    int registryMark = proxy.Requests.Count, apiMark = renku.Data.Requests.Count, kubeMark = cluster.Requests.Count;
    var reportClock = Stopwatch.StartNew();
    Collection<PSObject> rows = Invoke("Get-RenkuEnvironmentReport -Kubeconfig $kubeconfig");
    reportClock.Stop();
    var report = Count(registryMark, apiMark, kubeMark);
    if (rows.Count != Environments)
    {
        throw new InvalidOperationException($"the report has {rows.Count} rows, not {Environments}");
    }

    Console.WriteLine($"Get-RenkuEnvironmentReport: {rows.Count} rows in {reportClock.Elapsed.TotalSeconds:F2} s");

    // The baseline: the four cmdlets, one environment at a time.
    registryMark = proxy.Requests.Count;
    apiMark = renku.Data.Requests.Count;
    kubeMark = cluster.Requests.Count;
    var baselineClock = Stopwatch.StartNew();
    foreach (PSObject environment in environments)
    {
        runspace.SessionStateProxy.SetVariable("e", environment);
        Invoke("$e | Test-RenkuImageCompliance | Out-Null; $e | Get-RenkuImageUpgrade | Out-Null; $e | Get-RenkuSessionLauncher | Out-Null; $e | Get-RenkuSession -Kubeconfig $kubeconfig | Out-Null");
    }

    baselineClock.Stop();
    var baseline = Count(registryMark, apiMark, kubeMark);
    Console.WriteLine($"four cmdlets per environment: {Environments} x 4 runs in {baselineClock.Elapsed.TotalSeconds:F2} s");

    double ratio = baselineClock.Elapsed.TotalSeconds / reportClock.Elapsed.TotalSeconds;
    Console.WriteLine();
    Console.WriteLine($"| measure ({Environments} environments, {Repositories} repositories, {Repositories * 2} distinct images) | Get-RenkuEnvironmentReport | four cmdlets per environment |");
    Console.WriteLine("|---|---|---|");
    Console.WriteLine($"| wall time | {reportClock.Elapsed.TotalSeconds:F2} s | {baselineClock.Elapsed.TotalSeconds:F2} s |");
    Console.WriteLine($"| tag listings | {report.Listings} (max {report.MaxListings} per repository) | {baseline.Listings} (max {baseline.MaxListings}) |");
    Console.WriteLine($"| manifest reads | {report.ManifestReads} (max {report.MaxManifestReads} per reference) | {baseline.ManifestReads} (max {baseline.MaxManifestReads}) |");
    Console.WriteLine($"| blob reads | {report.Blobs} | {baseline.Blobs} |");
    Console.WriteLine($"| registry requests in all | {report.Requests} | {baseline.Requests} |");
    Console.WriteLine($"| Renku data API requests | {report.Api} | {baseline.Api} |");
    Console.WriteLine($"| Kubernetes API requests | {report.Kube} | {baseline.Kube} |");
    Console.WriteLine($"| speed-up | {ratio:F1}x | 1x |");

    // One tag listing per repository; one inspection per distinct image: a reference's manifest
    // is read at most twice (the inspection, and the audit's digest of a candidate).
    bool ok = report.MaxListings == 1 && report.Listings == Repositories && report.MaxManifestReads <= 2;
    Console.WriteLine(ok ? "targets met: one tag listing per repository, one inspection per distinct image" : "TARGETS NOT MET");
    return ok ? 0 : 1;
}
finally
{
    Directory.Delete(work, recursive: true);
}
