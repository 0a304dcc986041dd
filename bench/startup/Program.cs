using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

// Paired start-up benchmark: dotnet run -c Release --project bench/startup [-- rounds [module [pwsh.dll]]].
// Each round runs, in rotating order,
//   bare:    pwsh -NoProfile -NonInteractive -Command exit
//   empty:   pwsh -NoProfile -NonInteractive -Command "Import-Module <a manifest with nothing in it>"   (what importing any module costs, for reference)
//   module:  pwsh -NoProfile -NonInteractive -Command "Import-Module <staged manifest>; $null = ConvertTo-RenkuImageReference python"
// and times each process from start to exit. pwsh is the repository's tool (dotnet + pwsh.dll, found
// through `dotnet pwsh`), started directly so the tool shim's own start-up is in no figure.
// Prints the medians and the medians of the per-round ratios of wall time (module/bare is the
// figure the target is about) and of CPU time (user + system of all threads, which other work on
// the machine disturbs less), and the methods the JIT compiled in each process.
int rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
string root = FindRoot();
// Another staged module (a folder or its manifest) can be named second, to compare builds.
string manifest = args.Length > 1 ? Path.GetFullPath(args[1]) : Directory.GetFiles(Path.Combine(root, "out", "Renku.PowerShell"), "Renku.PowerShell.psd1", SearchOption.AllDirectories).Single();
// A third argument names another pwsh.dll (a copy whose assemblies were precompiled, say).
string pwshDll = args.Length > 2 ? Path.GetFullPath(args[2]) : Path.Combine(Run("dotnet", new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSHOME" }, root).Trim(), "pwsh.dll");
string version = Run("dotnet", new[] { pwshDll, "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()" }, root).Trim();

string empty = Path.Combine(Path.GetTempPath(), "renku-ps-bench-empty-" + Environment.ProcessId, "Empty");
Directory.CreateDirectory(empty);
File.WriteAllText(Path.Combine(empty, "Empty.psd1"), "@{ ModuleVersion = '1.0.0' }");
var arms = new (string Name, string Command)[]
{
    ("bare", "exit"),
    ("empty", $"Import-Module '{empty}'"),
    ("module", $"Import-Module '{manifest}'; $null = ConvertTo-RenkuImageReference python"),
};

Console.WriteLine($"pwsh {version} ({pwshDll}), module {manifest}, {rounds} rounds after 2 warm-up rounds");
foreach (var arm in arms)
{
    string counted = arm.Command == "exit" ? "$null = 1" : arm.Command;
    string methods = Run("dotnet", new[] { pwshDll, "-NoProfile", "-NonInteractive", "-Command", counted + "; [System.Runtime.JitInfo]::GetCompiledMethodCount($false)" }, root).Trim();
    Console.WriteLine($"{arm.Name,-6}: {methods} methods JIT-compiled ({arm.Command})");
}

for (int i = 0; i < 2; i++)
{
    foreach (var arm in arms)
    {
        Time(pwshDll, arm.Command, root);
    }
}

var wall = arms.ToDictionary(a => a.Name, _ => new List<double>());
var cpu = arms.ToDictionary(a => a.Name, _ => new List<double>());
var moduleRatio = new List<double>();
var moduleCpuRatio = new List<double>();
var emptyRatio = new List<double>();
var moduleOverEmpty = new List<double>();
for (int i = 0; i < rounds; i++)
{
    // Rotate which arm goes first, so a slow spell of the machine hits all alike.
    var measured = new Dictionary<string, (double Wall, double Cpu)>();
    for (int k = 0; k < arms.Length; k++)
    {
        var arm = arms[(i + k) % arms.Length];
        measured[arm.Name] = Time(pwshDll, arm.Command, root);
    }

    foreach (var arm in arms)
    {
        wall[arm.Name].Add(measured[arm.Name].Wall);
        cpu[arm.Name].Add(measured[arm.Name].Cpu);
    }

    moduleRatio.Add(measured["module"].Wall / measured["bare"].Wall);
    moduleCpuRatio.Add(measured["module"].Cpu / measured["bare"].Cpu);
    emptyRatio.Add(measured["empty"].Wall / measured["bare"].Wall);
    moduleOverEmpty.Add(measured["module"].Wall / measured["empty"].Wall);
    Console.WriteLine($"round {i + 1,2}: " + string.Join(", ", arms.Select(a => $"{a.Name} {measured[a.Name].Wall,5:F0} ms ({measured[a.Name].Cpu,5:F0} CPU)")) + $", module/bare {moduleRatio[^1]:F3}");
}

Console.WriteLine("medians: " + string.Join(", ", arms.Select(a => $"{a.Name} {Median(wall[a.Name]):F0} ms ({Median(cpu[a.Name]):F0} ms CPU)")));
Console.WriteLine($"median ratio module/bare {Median(moduleRatio):F3} (target <= 1.15), CPU {Median(moduleCpuRatio):F3}");
Console.WriteLine($"median ratio empty/bare {Median(emptyRatio):F3}, module/empty {Median(moduleOverEmpty):F3}");
Directory.Delete(Path.GetDirectoryName(empty)!, recursive: true);
return 0;

static (double Wall, double Cpu) Time(string pwshDll, string command, string workingDirectory)
{
    double cpuBefore = ChildrenCpuMilliseconds();
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
    foreach (string argument in new[] { pwshDll, "-NoProfile", "-NonInteractive", "-Command", command })
    {
        info.ArgumentList.Add(argument);
    }

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

static string Run(string file, string[] arguments, string workingDirectory)
{
    var info = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, WorkingDirectory = workingDirectory };
    foreach (string argument in arguments)
    {
        info.ArgumentList.Add(argument);
    }

    using Process process = Process.Start(info)!;
    string output = process.StandardOutput.ReadToEnd();
    process.WaitForExit();
    return output;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    int middle = sorted.Count / 2;
    return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
