using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// The life of a container engine a test starts as root on a private unix socket under a folder of
/// its own (<see cref="PrivateDockerDaemon"/>, <see cref="PodmanService"/>): a bounded wait until
/// it answers, then a stop by SIGTERM (so it can stop its containers) and SIGKILL only if it hangs,
/// and its mounts and folder removed.
/// </summary>
internal static class DaemonProcess
{
    private const int SignalTerm = 15;
    private const int DetachFlag = 2;
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Waits until the engine answers on <paramref name="socketPath"/>: null when it does, else why
    /// not (it exited, or it did not answer within 60 s).
    /// </summary>
    public static string? WaitUntilAnswering(Process process, string socketPath)
    {
        DateTime deadline = DateTime.UtcNow + AnswerBound;
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (DockerDaemon.Answers(socketPath))
            {
                return null;
            }

            Thread.Sleep(200);
        }

        return process.HasExited ? $"it exited with code {process.ExitCode}" : $"it did not answer within {AnswerBound.TotalSeconds:0} s";
    }

    /// <summary>Stops the process (SIGTERM, up to 30 s; then SIGKILL of its tree) and disposes it.</summary>
    public static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                _ = Kill(process.Id, SignalTerm);
                if (!process.WaitForExit(30_000))
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
        }
        catch (InvalidOperationException)
        {
        }

        process.Dispose();
    }

    /// <summary>
    /// Detaches what the engine left mounted below <paramref name="directory"/> (deepest first,
    /// from /proc/self/mounts) and deletes the folder.
    /// </summary>
    public static void RemoveDirectory(string directory)
    {
        foreach (string mountPoint in File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(mountPoint => mountPoint.StartsWith(directory + "/", StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList())
        {
            _ = Unmount(mountPoint, DetachFlag);
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Unmount(string target, int flags);
}
