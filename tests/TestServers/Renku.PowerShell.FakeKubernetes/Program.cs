using System.Globalization;

using Renku.PowerShell.FakeKubernetes;

// The process form, for Pester and by hand:
//   dotnet Renku.PowerShell.FakeKubernetes.dll [--port N] [--token T] [--namespace renku]
//       [--kubeconfig path] [--sessions N] [--scenario ready|image-pull-backoff|crash-loop-backoff|never-ready|unschedulable|stuck]
//       [--job-scenario job-succeeds|job-fails|job-oom|job-runs-on]
// Prints "listening <url>" once ready and runs until Ctrl+C or SIGTERM.
var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

int port = options.TryGetValue("port", out string? p) ? int.Parse(p, CultureInfo.InvariantCulture) : 0;
string ns = options.GetValueOrDefault("namespace") ?? "renku";
await using FakeKubernetesServer server = await FakeKubernetesServer.StartAsync(port, options.GetValueOrDefault("token"));
if (options.TryGetValue("scenario", out string? scenarioName))
{
    server.Scenario = PodScenario.ByName(scenarioName) ?? throw new ArgumentException("unknown scenario " + scenarioName);
}

if (options.TryGetValue("job-scenario", out string? jobScenarioName))
{
    server.JobScenario = PodScenario.ByName(jobScenarioName) ?? throw new ArgumentException("unknown scenario " + jobScenarioName);
}

int sessions = options.TryGetValue("sessions", out string? s) ? int.Parse(s, CultureInfo.InvariantCulture) : 0;
for (int i = 0; i < sessions; i++)
{
    server.AddSession(new FakeSession
    {
        Name = $"session-{i:D4}",
        LauncherId = $"01JLAUNCHER{i % 5:D15}",
        ProjectId = $"01JPROJECT{i % 3:D16}",
        State = i % 7 == 3 ? "Failed" : "Running",
        Error = i % 7 == 3 ? "The session container keeps crashing" : null,
        RestartCount = i % 7 == 3 ? 4 : 0,
        User = $"user{i % 4}",
    }, ns);
}

if (options.TryGetValue("kubeconfig", out string? kubeconfig))
{
    server.WriteKubeconfig(kubeconfig, ns);
}

Console.Out.WriteLine("listening " + server.BaseUrl);
Console.Out.Flush();
await server.WaitForShutdownAsync();
