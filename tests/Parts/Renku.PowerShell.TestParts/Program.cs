using System.Runtime.InteropServices;
using System.Text.Json.Nodes;

using Renku.PowerShell.TestParts;
using Renku.PowerShell.TestSupport;

// Usage: Renku.PowerShell.TestParts [--parts registry,docker,renku,kubernetes,dockerhost,dockerbridge,podman] [--logs DIR]
// Starts the named parts (registry, docker, renku and kubernetes by default), prints one JSON line with their addresses (and, under
// "missing", each part that could not start with the reason), then runs until standard input
// closes or reads "stop", SIGINT/SIGTERM, or the parent process goes away; then stops them all.
string[] known = { "registry", "docker", "renku", "kubernetes", "dockerhost", "dockerbridge", "podman" };
string[] byDefault = { "registry", "docker", "renku", "kubernetes" };
var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (int i = 0; i + 1 < args.Length; i += 2)
{
    options[args[i].TrimStart('-')] = args[i + 1];
}

string[] requested = options.TryGetValue("parts", out string? list) ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : byDefault;
string? unknown = requested.FirstOrDefault(p => !known.Contains(p, StringComparer.Ordinal));
if (unknown is not null)
{
    Console.Error.WriteLine($"unknown part '{unknown}'; known parts: {string.Join(", ", known)}");
    return 2;
}

// Servers' output and this process's own diagnostics go to files, never into the test output.
string logs = Path.GetFullPath(options.GetValueOrDefault("logs") ?? Path.Combine(Path.GetTempPath(), "renku-ps-parts-logs"));
Directory.CreateDirectory(logs);
ProcessRunner.ServerLogDirectory = logs;
using var diagnostics = new StreamWriter(Path.Combine(logs, $"test-parts-{Environment.ProcessId}.log"), append: true) { AutoFlush = true };
TextWriter answer = Console.Out;
Console.SetOut(diagnostics);
Console.SetError(diagnostics);

int parent = ParentProcess.Id();
using var stop = new CancellationTokenSource();
using PosixSignalRegistration onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using PosixSignalRegistration onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });

var started = new List<ITestPart>();
var missing = new JsonObject();
try
{
    foreach (string name in requested.Distinct(StringComparer.Ordinal))
    {
        try
        {
            started.Add(name switch
            {
                "registry" => await RegistryPart.StartAsync(),
                "docker" or "dockerhost" or "dockerbridge" or "podman" => DockerPart.Start(name),
                "renku" => RenkuPart.Start(),
                _ => await KubernetesPart.StartAsync(),
            });
        }
        catch (Exception ex)
        {
            // Any failure to start is reported by name: the suite skips (or, under CI=true, fails) what needs it.
            diagnostics.WriteLine($"{name} did not start: {ex}");
            missing[name] = ex.Message;
        }
    }

    var description = new JsonObject { ["logs"] = logs, ["missing"] = missing };
    foreach (ITestPart part in started)
    {
        description[part.Name] = part.Describe();
    }

    answer.WriteLine(description.ToJsonString());
    answer.Flush();

    var stdin = new Thread(() =>
    {
        string? line;
        while ((line = Console.In.ReadLine()) is not null && line.Trim() != "stop")
        {
        }

        stop.Cancel();
    }) { IsBackground = true };
    stdin.Start();

    // Standard input closes when the parent dies, but a parent may hand its stdin on: watch it too.
    while (!stop.IsCancellationRequested && ParentProcess.Id() == parent)
    {
        try
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500), stop.Token);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
finally
{
    for (int i = started.Count - 1; i >= 0; i--)
    {
        try
        {
            await started[i].DisposeAsync();
        }
        catch (Exception ex)
        {
            diagnostics.WriteLine($"{started[i].Name} did not stop cleanly: {ex}");
        }
    }
}

return 0;
