using System.Diagnostics;
using System.Globalization;

// Paired start-up benchmark: dotnet run -c Release --project bench/startup [-- pairs [module]]. Each pair runs, in alternating order,
//   bare:   pwsh -NoProfile -NonInteractive -Command exit
//   module: pwsh -NoProfile -NonInteractive -Command "Import-Module <staged manifest>; $null = ConvertTo-RenkuImageReference python"
// and times each process from start to exit. pwsh is the repository's tool (dotnet + pwsh.dll, found
// through `dotnet pwsh`), started directly so the tool shim's own start-up is in neither figure.
// Prints the medians and the median of the per-pair ratios (the figure the target is about).
int pairs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
string root = FindRoot();
// Another staged module (a folder or its manifest) can be named second, to compare builds.
string manifest = args.Length > 1 ? Path.GetFullPath(args[1]) : Directory.GetFiles(Path.Combine(root, "out", "Renku.PowerShell"), "Renku.PowerShell.psd1", SearchOption.AllDirectories).Single();
string pwshHome = Run("dotnet", new[] { "pwsh", "-NoProfile", "-NonInteractive", "-Command", "$PSHOME" }, root).Trim();
string pwshDll = Path.Combine(pwshHome, "pwsh.dll");
string version = Run("dotnet", new[] { pwshDll, "-NoProfile", "-NonInteractive", "-Command", "$PSVersionTable.PSVersion.ToString()" }, root).Trim();

string[] bare = { pwshDll, "-NoProfile", "-NonInteractive", "-Command", "exit" };
string[] module = { pwshDll, "-NoProfile", "-NonInteractive", "-Command", $"Import-Module '{manifest}'; $null = ConvertTo-RenkuImageReference python" };

Console.WriteLine($"pwsh {version} ({pwshDll}), module {manifest}, {pairs} pairs after 2 warm-up pairs");
for (int i = 0; i < 2; i++)
{
    Time(bare, root);
    Time(module, root);
}

var bareTimes = new List<double>();
var moduleTimes = new List<double>();
var ratios = new List<double>();
for (int i = 0; i < pairs; i++)
{
    // Alternate which side goes first, so a slow spell of the machine hits both alike.
    double b, m;
    if (i % 2 == 0)
    {
        b = Time(bare, root);
        m = Time(module, root);
    }
    else
    {
        m = Time(module, root);
        b = Time(bare, root);
    }

    bareTimes.Add(b);
    moduleTimes.Add(m);
    ratios.Add(m / b);
    Console.WriteLine($"pair {i + 1,2}: bare {b,6:F0} ms, module {m,6:F0} ms, ratio {m / b:F3}");
}

Console.WriteLine($"median bare {Median(bareTimes):F0} ms, median module {Median(moduleTimes):F0} ms");
Console.WriteLine($"median ratio {Median(ratios):F3} (target <= 1.15)");
return 0;

static double Time(string[] arguments, string workingDirectory)
{
    var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workingDirectory };
    foreach (string argument in arguments)
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
        throw new InvalidOperationException($"pwsh {string.Join(' ', arguments.Skip(1))} exited {process.ExitCode}: {output}");
    }

    return clock.Elapsed.TotalMilliseconds;
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
