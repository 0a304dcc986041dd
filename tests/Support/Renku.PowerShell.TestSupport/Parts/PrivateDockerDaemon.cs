using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A Docker engine of the caller's own: dockerd (vfs storage, no bridge, no iptables) on a private
/// unix socket with its own data and exec roots, so that what the caller counts (containers,
/// volumes, images) is only what its tests made. Stopped (SIGTERM, then SIGKILL) and its state
/// deleted on dispose. Needs root, as dockerd does.
/// </summary>
public sealed class PrivateDockerDaemon : IDisposable
{
    private const int SignalTerm = 15;
    private const int DetachFlag = 2;
    private readonly Process process;
    private readonly string directory;

    private PrivateDockerDaemon(Process process, string directory)
    {
        this.process = process;
        this.directory = directory;
    }

    /// <summary>The engine's address, <c>unix:///.../docker.sock</c>.</summary>
    public string Host => "unix://" + SocketPath;

    private string SocketPath => Path.Combine(directory, "docker.sock");

    /// <summary>Starts the engine and waits (bounded) until it answers; skips (fails under CI=true) when it cannot.</summary>
    public static PrivateDockerDaemon Start()
    {
        string? dockerd = Requires.Which("dockerd");
        Requires.Part(dockerd is not null, "dockerd", "install it with 'apt-get install docker.io'");
        Requires.Part(Environment.UserName == "root", "dockerd", "a private engine is started as root, as dockerd needs");

        // A short path: the socket's path must stay under the unix socket limit of 108 bytes.
        string directory = Path.Combine("/tmp", "renku-ps-engine-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        Process process = ProcessRunner.StartServer(
            dockerd!,
            "-H", "unix://" + Path.Combine(directory, "docker.sock"),
            "--storage-driver=vfs", "--iptables=false", "--ip-masq=false", "--bridge=none",
            "--data-root", Path.Combine(directory, "data"),
            "--exec-root", Path.Combine(directory, "exec"),
            "--pidfile", Path.Combine(directory, "docker.pid"),
            "--log-level", "warn");
        var engine = new PrivateDockerDaemon(process, directory);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline && !process.HasExited)
        {
            if (DockerDaemon.Answers(engine.SocketPath))
            {
                return engine;
            }

            Thread.Sleep(200);
        }

        string exited = process.HasExited ? $"it exited with code {process.ExitCode}" : "it did not answer within 60 s";
        engine.Dispose();
        Requires.Part(false, "dockerd", exited);
        throw new UnreachableException();
    }

    /// <summary>Runs the docker CLI against this engine.</summary>
    public ProcessRunner.Result Cli(TimeSpan timeout, params string[] arguments) => DockerDaemon.CliAt(Host, timeout, arguments);

    public void Dispose()
    {
        try
        {
            if (!process.HasExited)
            {
                // SIGTERM lets dockerd stop its containers and its containerd; SIGKILL only if it hangs.
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

        // dockerd leaves the default network namespace bind-mounted under its exec root.
        foreach (string mountPoint in MountPointsUnder(directory))
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

    /// <summary>Mount points at or below <paramref name="directory"/>, deepest first (from /proc/self/mounts).</summary>
    private static IEnumerable<string> MountPointsUnder(string directory) =>
        File.ReadAllLines("/proc/self/mounts")
            .Select(line => line.Split(' ')[1])
            .Where(mountPoint => mountPoint.StartsWith(directory + "/", StringComparison.Ordinal))
            .OrderByDescending(mountPoint => mountPoint.Length)
            .ToList();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [DllImport("libc", EntryPoint = "umount2", SetLastError = true)]
    private static extern int Unmount(string target, int flags);
}
