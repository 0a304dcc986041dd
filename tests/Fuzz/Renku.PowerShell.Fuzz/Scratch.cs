namespace Renku.PowerShell.Fuzz;

/// <summary>A folder of this process for the targets whose readers take a path; removed at exit.</summary>
internal static class Scratch
{
    private static readonly Lazy<string> Folder = new(() =>
    {
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string folder = Path.Combine(root, $"renku-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(folder);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Already gone.
            }
        };
        return folder;
    });

    internal static string Write(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder.Value, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }
}
