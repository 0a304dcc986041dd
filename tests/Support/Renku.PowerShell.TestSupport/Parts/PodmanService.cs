using System.Diagnostics;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// podman's Docker-compatible API of the caller's own: <c>podman system service</c> on a private
/// unix socket, with its own storage (vfs), run, temp and network-configuration roots and its own
/// containers.conf, so nothing touches the machine's podman state. Stopped (SIGTERM, then SIGKILL)
/// and its state deleted on dispose. Rootful, as the tests run; needs root.
/// </summary>
public sealed class PodmanService : IDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly HashSet<string> interfacesBefore;

    private PodmanService(Process process, string directory, HashSet<string> interfacesBefore)
    {
        this.process = process;
        this.directory = directory;
        this.interfacesBefore = interfacesBefore;
    }

    /// <summary>The service's address, <c>unix:///.../podman.sock</c>.</summary>
    public string Host => "unix://" + SocketPath;

    private string SocketPath => Path.Combine(directory, "podman.sock");

    /// <summary>Starts the service and waits (bounded) until it answers; skips (fails under CI=true) when it cannot.</summary>
    public static PodmanService Start()
    {
        string? podman = Requires.Which("podman");
        Requires.Part(podman is not null, "podman", "install it with 'apt-get install podman'");
        Requires.Part(Environment.UserName == "root", "podman", "the private podman service is started rootful, as root");

        HashSet<string> interfacesBefore = BridgeInterfaces();
        string directory = Path.Combine("/tmp", "renku-ps-podman-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);

        // Limits the containers inherit: podman's rootful defaults (the system maximum) are more
        // than a confined test machine lets a process raise itself to.
        string configuration = Path.Combine(directory, "containers.conf");
        File.WriteAllText(configuration, "[containers]\ndefault_ulimits = [\"nofile=4096:4096\", \"nproc=4096:4096\"]\n\n[engine]\nevents_logger = \"file\"\ncgroup_manager = \"cgroupfs\"\n");
        Process process = ProcessRunner.StartServer(
            "/usr/bin/env",
            "CONTAINERS_CONF=" + configuration,
            podman!,
            "--root", Path.Combine(directory, "root"),
            "--runroot", Path.Combine(directory, "run"),
            "--tmpdir", Path.Combine(directory, "tmp"),
            "--network-config-dir", Path.Combine(directory, "net"),
            "--storage-driver", "vfs",
            "--cgroup-manager", "cgroupfs",
            "--events-backend", "file",
            "--log-level", "warn",
            "system", "service", "--time=0", "unix://" + Path.Combine(directory, "podman.sock"));
        var service = new PodmanService(process, directory, interfacesBefore);
        string? failure = DaemonProcess.WaitUntilAnswering(process, service.SocketPath);
        if (failure is null)
        {
            return service;
        }

        service.Dispose();
        Requires.Part(false, "podman", failure);
        throw new UnreachableException();
    }

    /// <summary>Runs the docker CLI against this service.</summary>
    public ProcessRunner.Result Cli(TimeSpan timeout, params string[] arguments) => DockerDaemon.CliAt(Host, timeout, arguments);

    public void Dispose()
    {
        DaemonProcess.Stop(process);

        // CNI keeps the bridges of podman's networks (its default one) and firewall rules naming
        // them after the service ends: those this service brought are removed.
        foreach (string bridge in BridgeInterfaces().Except(interfacesBefore))
        {
            foreach (string table in new[] { "filter", "nat" })
            {
                string rules = ProcessRunner.Run("iptables", new[] { "-t", table, "-S" }, TimeSpan.FromSeconds(30)).StdOut;
                foreach (string rule in rules.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Where(rule => rule.StartsWith("-A ", StringComparison.Ordinal) && (rule.Contains(" " + bridge + " ", StringComparison.Ordinal) || rule.EndsWith(" " + bridge, StringComparison.Ordinal))))
                {
                    ProcessRunner.Run("/bin/sh", new[] { "-c", $"iptables -t {table} -D {rule[3..]}" }, TimeSpan.FromSeconds(30));
                }
            }

            ProcessRunner.Run("ip", new[] { "link", "delete", bridge }, TimeSpan.FromSeconds(30));
        }

        // podman leaves its storage and run roots (and any network namespace) mounted.
        DaemonProcess.RemoveDirectory(directory);
    }

    /// <summary>The host's network interfaces that CNI makes for podman's networks.</summary>
    private static HashSet<string> BridgeInterfaces() =>
        Directory.Exists("/sys/class/net")
            ? Directory.GetDirectories("/sys/class/net").Select(Path.GetFileName).OfType<string>().Where(name => name.StartsWith("cni-podman", StringComparison.Ordinal)).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}
