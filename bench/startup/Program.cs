using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

// Paired start-up benchmark: dotnet run -c Release --project bench/startup [-- rounds [module [pwsh.dll]]].
// Each round runs, in rotating order,
//   bare:    pwsh -NoProfile -NonInteractive -Command exit
//   empty:   pwsh ... -Command "Import-Module <a manifest with nothing in it>"   (what importing any module costs)
//   binary:  pwsh ... -Command "Import-Module <the smallest binary module>; $null = ConvertTo-MinimalThing python"
//   viewed:  the same module with a one-view format file and an explicit CmdletsToExport
//   module:  pwsh ... -Command "Import-Module <staged manifest>; $null = ConvertTo-RenkuImageReference python"
// and times each process from start to exit. The two reference arms (bench/startup/Minimal, built
// here) take apart what PowerShell itself does for any binary module (binary), and for one with
// views and an export list as this one has (viewed), from what is this module's own (module/viewed).
// pwsh is the repository's tool (dotnet + pwsh.dll, found through `dotnet pwsh`), started directly
// so the tool shim's own start-up is in no figure. Prints the medians and the medians of the
// per-round ratios of wall time and of CPU time (user + system of all threads, which other work
// on the machine disturbs less), with quartiles, and the methods the JIT compiled in each process.
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
string root = FindRoot();
// A fourth argument, "warm", lets each arm keep its own PowerShell cache between its runs (see Cache).
// Another staged module (a folder or its manifest) can be named second, to compare builds.
string manifest = args.Length > 1 ? Path.GetFullPath(args[1]) : Directory.GetFiles(Path.Combine(root, "out", "Renku.PowerShell"), "Renku.PowerShell.psd1", SearchOption.AllDirectories).Single();
// A third argument names another pwsh.dll (a copy whose assemblies were precompiled, say).
string pwshDll = args.Length > 2 ? Path.GetFullPath(args[2]) : Path.Combine(Run("dotnet", Pwsh("pwsh", "$PSHOME"), root).Trim(), "pwsh.dll");
bool warm = args.Length > 3 && string.Equals(args[3], "warm", StringComparison.OrdinalIgnoreCase);
string version = Run("dotnet", Pwsh(pwshDll, "$PSVersionTable.PSVersion.ToString()"), root).Trim();

string empty = Path.Combine(Path.GetTempPath(), "renku-ps-bench-empty-" + Environment.ProcessId, "Empty");
Directory.CreateDirectory(empty);
File.WriteAllText(Path.Combine(empty, "Empty.psd1"), "@{ ModuleVersion = '1.0.0' }");
string scratchRoot = Path.GetDirectoryName(empty)!;
(string binary, string viewed) = StageMinimalModules(root, scratchRoot);
var arms = new (string Name, string Command)[]
{
    ("bare", "exit"),
    ("empty", $"Import-Module '{empty}'"),
    ("binary", $"Import-Module '{binary}'; $null = ConvertTo-MinimalThing python"),
    ("viewed", $"Import-Module '{viewed}'; $null = ConvertTo-MinimalThing python"),
    ("module", $"Import-Module '{manifest}'; $null = ConvertTo-RenkuImageReference python"),
};

Console.WriteLine($"pwsh {version} ({pwshDll}), module {manifest}, {rounds} rounds after 2 warm-up rounds, {(warm ? "warm: each arm keeps its own PowerShell cache" : "cold: every run starts with an empty PowerShell cache")}");
foreach (var arm in arms)
{
    string counted = arm.Command == "exit" ? "$null = 1" : arm.Command;
    string methods = Run("dotnet", Pwsh(pwshDll, counted + "; [System.Runtime.JitInfo]::GetCompiledMethodCount($false)"), root, Cache(scratchRoot, arm.Name, warm)).Trim();
    Console.WriteLine($"{arm.Name,-6}: {methods} methods JIT-compiled ({arm.Command})");
}

for (int i = 0; i < 2; i++)
{
    foreach (var arm in arms)
    {
        Time(pwshDll, arm.Command, root, Cache(scratchRoot, arm.Name, warm));
    }
}

var wall = arms.ToDictionary(a => a.Name, _ => new List<double>());
var cpu = arms.ToDictionary(a => a.Name, _ => new List<double>());
var pairs = new (string Over, string Under)[] { ("module", "empty"), ("binary", "empty"), ("viewed", "empty"), ("module", "viewed"), ("module", "bare"), ("empty", "bare") };
var wallRatios = pairs.ToDictionary(p => p, _ => new List<double>());
var cpuRatios = pairs.ToDictionary(p => p, _ => new List<double>());
for (int i = 0; i < rounds; i++)
{
    // Rotate which arm goes first, so a slow spell of the machine hits all alike.
    var measured = new Dictionary<string, (double Wall, double Cpu)>();
    for (int k = 0; k < arms.Length; k++)
    {
        var arm = arms[(i + k) % arms.Length];
        measured[arm.Name] = Time(pwshDll, arm.Command, root, Cache(scratchRoot, arm.Name, warm));
    }

    foreach (var arm in arms)
    {
        wall[arm.Name].Add(measured[arm.Name].Wall);
        cpu[arm.Name].Add(measured[arm.Name].Cpu);
    }

    foreach (var pair in pairs)
    {
        wallRatios[pair].Add(measured[pair.Over].Wall / measured[pair.Under].Wall);
        cpuRatios[pair].Add(measured[pair.Over].Cpu / measured[pair.Under].Cpu);
    }

    Console.WriteLine($"round {i + 1,2}: " + string.Join(", ", arms.Select(a => $"{a.Name} {measured[a.Name].Wall,5:F0} ms ({measured[a.Name].Cpu,5:F0} CPU)")) + $", module/empty {wallRatios[pairs[0]][^1]:F3}");
}

Console.WriteLine("medians: " + string.Join(", ", arms.Select(a => $"{a.Name} {Median(wall[a.Name]):F0} ms ({Median(cpu[a.Name]):F0} ms CPU)")));
foreach (var pair in pairs)
{
    var w = wallRatios[pair];
    var c = cpuRatios[pair];
    string target = pair == pairs[0] ? " (target <= 1.05)" : string.Empty;
    Console.WriteLine($"{pair.Over + "/" + pair.Under,-14} wall {Median(w):F3} (quartiles {Quantile(w, 0.25):F3} to {Quantile(w, 0.75):F3}), CPU {Median(c):F3} (quartiles {Quantile(c, 0.25):F3} to {Quantile(c, 0.75):F3}){target}");
}

Directory.Delete(scratchRoot, recursive: true);
return 0;

static (double Wall, double Cpu) Time(string pwshDll, string command, string workingDirectory, string cache)
{
    double cpuBefore = ChildrenCpuMilliseconds();
    ProcessStartInfo info = StartInfo("dotnet", Pwsh(pwshDll, command), workingDirectory, cache);
    var clock = Stopwatch.StartNew();
    using Process process = Process.Start(info)!;
    string output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
    if (!process.WaitForExit(120_000))
    {
        process.Kill(entireProcessTree: true);
        throw new TimeoutException("pwsh did not exit within 2 minutes");
    }

    clock.Stop();
    if (process.ExitCode != 0 || output.Trim().Length > 0)
    {
        throw new InvalidOperationException($"pwsh -Command {command} exited {process.ExitCode}: {output}");
    }

    return (clock.Elapsed.TotalMilliseconds, ChildrenCpuMilliseconds() - cpuBefore);
}

// CPU time of every waited-for child so far (getrusage RUSAGE_CHILDREN): user + system.
static double ChildrenCpuMilliseconds()
{
    if (GetResourceUsage(-1, out ResourceUsage usage) != 0)
    {
        throw new InvalidOperationException("getrusage failed");
    }

    return (usage.UserSeconds + usage.SystemSeconds) * 1000.0 + (usage.UserMicroseconds + usage.SystemMicroseconds) / 1000.0;
}

// Starts a process with its arguments (and XDG_CACHE_HOME when a cache folder is given), for
// everything here that pwsh or dotnet does besides the timed runs.
static ProcessStartInfo StartInfo(string file, IEnumerable<string> arguments, string workingDirectory, string? cache)
{
    var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
    if (cache is not null)
    {
        info.Environment["XDG_CACHE_HOME"] = cache;
    }

    foreach (string argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    return info;
}

// pwsh's arguments for one -Command, as every arm and probe starts it.
static string[] Pwsh(string pwshDll, string command) => new[] { pwshDll, "-NoProfile", "-NonInteractive", "-Command", command };

// Runs a process to its end and returns what it printed; a non-zero exit is an error.
static string Run(string file, IEnumerable<string> arguments, string workingDirectory, string? cache = null)
{
    using Process process = Process.Start(StartInfo(file, arguments, workingDirectory, cache))!;
    Task<string> errors = process.StandardError.ReadToEndAsync();
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {process.ExitCode}: {output}{errors.Result}");
    }

    return output;
}

static double Median(List<double> values) => Quantile(values, 0.5);

// The cache folder (XDG_CACHE_HOME) a run of an arm gets. pwsh keeps its start-up JIT profile
// there (StartupProfileData-NonInteractive, written at every exit and replayed on a background
// thread at the next start) and its module analysis cache; one shared folder hands each run the
// profile of whichever arm ran before it. Cold (the default): an empty folder for every run, as on
// a fresh CI agent. Warm: one folder per arm, kept between its runs, as for someone who runs the
// same command again.
static string Cache(string scratchRoot, string arm, bool warm)
{
    string folder = Path.Combine(scratchRoot, "cache-" + arm);
    if (!warm && Directory.Exists(folder))
    {
        Directory.Delete(folder, recursive: true);
    }

    Directory.CreateDirectory(folder);
    return folder;
}

static double Quantile(List<double> values, double q)
{
    var sorted = values.Order().ToList();
    double position = q * (sorted.Count - 1);
    int below = (int)Math.Floor(position);
    int above = Math.Min(below + 1, sorted.Count - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
}

// Builds bench/startup/Minimal and writes its two manifests: the module alone, and the module with a
// one-view format file and an explicit export list (what PowerShell does for every module like ours).
static (string Binary, string Viewed) StageMinimalModules(string root, string scratch)
{
    string build = Path.Combine(scratch, "MinimalBuild");
    string project = Path.Combine(root, "bench", "startup", "Minimal", "Renku.PowerShell.Bench.Minimal.csproj");
    Run("dotnet", new[] { "build", project, "-c", "Release", "-o", build, "-nologo", "-v", "q" }, root);

    const string Dll = "Renku.PowerShell.Bench.Minimal.dll";
    string binary = Path.Combine(scratch, "Minimal");
    string viewed = Path.Combine(scratch, "MinimalViewed");
    foreach (string dir in new[] { binary, viewed })
    {
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(build, Dll), Path.Combine(dir, Dll), overwrite: true);
    }

    File.WriteAllText(Path.Combine(binary, "Minimal.psd1"), $"@{{ ModuleVersion = '1.0.0'; RootModule = '{Dll}' }}");
    File.WriteAllText(Path.Combine(viewed, "MinimalViewed.psd1"), $"@{{ ModuleVersion = '1.0.0'; RootModule = '{Dll}'; FormatsToProcess = @('MinimalViewed.format.ps1xml'); CmdletsToExport = @('ConvertTo-MinimalThing') }}");
    File.WriteAllText(Path.Combine(viewed, "MinimalViewed.format.ps1xml"), """
        <?xml version="1.0" encoding="utf-8"?>
        <Configuration>
          <ViewDefinitions>
            <View>
              <Name>Renku.PowerShell.Bench.Minimal.MinimalThing</Name>
              <ViewSelectedBy><TypeName>Renku.PowerShell.Bench.Minimal.MinimalThing</TypeName></ViewSelectedBy>
              <TableControl>
                <TableHeaders><TableColumnHeader><Label>Name</Label><Width>20</Width></TableColumnHeader></TableHeaders>
                <TableRowEntries><TableRowEntry><TableColumnItems><TableColumnItem><PropertyName>Name</PropertyName></TableColumnItem></TableColumnItems></TableRowEntry></TableRowEntries>
              </TableControl>
            </View>
          </ViewDefinitions>
        </Configuration>
        """);
    return (Path.Combine(binary, "Minimal.psd1"), Path.Combine(viewed, "MinimalViewed.psd1"));
}

static string FindRoot()
{
    string? dir = AppContext.BaseDirectory;
    while (dir is not null && !File.Exists(Path.Combine(dir, "Renku.PowerShell.sln")))
    {
        dir = Path.GetDirectoryName(dir);
    }

    return dir ?? throw new InvalidOperationException("Run this from inside the repository.");
}

[DllImport("libc", EntryPoint = "getrusage", SetLastError = true)]
static extern int GetResourceUsage(int who, out ResourceUsage usage);
