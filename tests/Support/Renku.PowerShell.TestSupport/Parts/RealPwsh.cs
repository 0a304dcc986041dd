using System.Diagnostics;
using System.Text.Json;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// The real pwsh of the repository's local tool manifest (PowerShell as a .NET tool, brought by
/// <c>dotnet tool restore</c>), started as one process (its pwsh.dll under dotnet) so that a test
/// can signal it the way a terminal or a CI runner would.
/// </summary>
public static class RealPwsh
{
    /// <summary>The pwsh.dll of the pinned PowerShell tool; skips (fails under CI=true) when the tool is not restored.</summary>
    public static string Require()
    {
        using JsonDocument manifest = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "dotnet-tools.json")));
        string version = manifest.RootElement.GetProperty("tools").GetProperty("powershell").GetProperty("version").GetString()!;
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string dll = Path.Combine(packages, "powershell", version, "tools", "net10.0", "any", OperatingSystem.IsWindows() ? "win" : "unix", "pwsh.dll");
        Requires.Part(File.Exists(dll), $"pwsh {version}", "run 'dotnet tool restore' in the repository");
        return dll;
    }

    /// <summary>Starts <c>pwsh -NoProfile -NonInteractive -Command <paramref name="script"/></c>; output goes to <paramref name="log"/>.</summary>
    public static Process Start(string script, string log)
    {
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false };
        foreach (string argument in new[] { Require(), "-NoProfile", "-NonInteractive", "-Command", script })
        {
            info.ArgumentList.Add(argument);
        }

        // Output to a file through a shell redirect: no pipe that the test must drain.
        var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add("exec \"$0\" \"$@\" >\"$LOG\" 2>&1 </dev/null");
        shell.ArgumentList.Add(info.FileName);
        foreach (string argument in info.ArgumentList)
        {
            shell.ArgumentList.Add(argument);
        }

        shell.Environment["LOG"] = log;
        return Process.Start(shell)!;
    }
}
