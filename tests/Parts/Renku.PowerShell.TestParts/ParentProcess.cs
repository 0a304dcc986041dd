using System.Globalization;

namespace Renku.PowerShell.TestParts;

/// <summary>The parent process id (field 4 of /proc/self/stat); it changes when the parent dies and the process is re-parented.</summary>
internal static class ParentProcess
{
    public static int Id()
    {
        string stat = File.ReadAllText("/proc/self/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], CultureInfo.InvariantCulture);
    }
}
