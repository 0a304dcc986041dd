using System.Diagnostics;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A Docker engine of the caller's own: dockerd (vfs storage, no iptables, by default no bridge) on a private
/// unix socket with its own data and exec roots, so that what the caller counts (containers,
/// volumes, images) is only what its tests made. Stopped (SIGTERM, then SIGKILL) and its state
/// deleted on dispose. Needs root, as dockerd does.
/// </summary>
public sealed class PrivateDockerDaemon : IDisposable
{
    private readonly Process process;
    private readonly string directory;
    private readonly string? bridge;

    private PrivateDockerDaemon(Process process, string directory, string? bridge)
    {
        this.process = process;
        this.directory = directory;
        this.bridge = bridge;
    }

    /// <summary>The networks such an engine can give a container.</summary>
    public enum Networking
    {
        /// <summary>No default bridge (<c>--bridge=none</c>); bridge networks can be created.</summary>
        NoDefaultBridge,

        /// <summary>No default bridge, and no bridge network can be created (the address pool is used up): only the host's network.</summary>
        HostOnly,

        /// <summary>A default bridge (on an interface of its own, without iptables), and no network can be created.</summary>
        DefaultBridgeOnly,
    }

    /// <summary>The engine's address, <c>unix:///.../docker.sock</c>.</summary>
    public string Host => "unix://" + SocketPath;

    private string SocketPath => Path.Combine(directory, "docker.sock");

    /// <summary>Starts the engine and waits (bounded) until it answers; skips (fails under CI=true) when it cannot.</summary>
    public static PrivateDockerDaemon Start() => Start(Networking.NoDefaultBridge);

    /// <summary>As <see cref="Start()"/>, with the networking given.</summary>
    public static PrivateDockerDaemon Start(Networking networking)
    {
        string? dockerd = Requires.Which("dockerd");
        Requires.Part(dockerd is not null, "dockerd", "install it with 'apt-get install docker.io'");
        Requires.Part(Environment.UserName == "root", "dockerd", "a private engine is started as root, as dockerd needs");

        // A short path: the socket's path must stay under the unix socket limit of 108 bytes.
        string id = Guid.NewGuid().ToString("N")[..8];
        string directory = Path.Combine("/tmp", "renku-ps-engine-" + id);
        Directory.CreateDirectory(directory);
        var arguments = new List<string>
        {
            "-H", "unix://" + Path.Combine(directory, "docker.sock"),
            "--storage-driver=vfs", "--iptables=false", "--ip-masq=false",
            "--data-root", Path.Combine(directory, "data"),
            "--exec-root", Path.Combine(directory, "exec"),
            "--pidfile", Path.Combine(directory, "docker.pid"),
            "--log-level", "warn",
        };
        string? bridge = null;
        if (networking == Networking.NoDefaultBridge)
        {
            arguments.Add("--bridge=none");
        }
        else
        {
            // One /24 the engine may give to a network of its own: used up by a placeholder below.
            (string pool, string bridgeAddress) = FreeSubnets();
            arguments.Add("--default-address-pool");
            arguments.Add($"base={pool}/24,size=24");
            if (networking == Networking.HostOnly)
            {
                arguments.Add("--bridge=none");
            }
            else
            {
                bridge = "rps" + id;
                string ip = Requires.Executable("ip", "iproute2");
                ProcessRunner.Run(ip, new[] { "link", "add", "name", bridge, "type", "bridge" }, TimeSpan.FromSeconds(30)).EnsureSuccess("ip link add");
                ProcessRunner.Run(ip, new[] { "addr", "add", bridgeAddress + "/24", "dev", bridge }, TimeSpan.FromSeconds(30)).EnsureSuccess("ip addr add");
                ProcessRunner.Run(ip, new[] { "link", "set", bridge, "up" }, TimeSpan.FromSeconds(30)).EnsureSuccess("ip link set up");
                arguments.Add("--bridge=" + bridge);
            }
        }

        Process process = ProcessRunner.StartServer(dockerd!, arguments.ToArray());
        var engine = new PrivateDockerDaemon(process, directory, bridge);
        string? failure = DaemonProcess.WaitUntilAnswering(process, engine.SocketPath);
        if (failure is not null)
        {
            engine.Dispose();
            Requires.Part(false, "dockerd", failure);
            throw new UnreachableException();
        }

        if (networking != Networking.NoDefaultBridge)
        {
            ProcessRunner.Result placeholder = engine.Cli(TimeSpan.FromSeconds(60), "network", "create", "renku-ps-pool-placeholder");
            ProcessRunner.Result refused = engine.Cli(TimeSpan.FromSeconds(60), "network", "create", "renku-ps-pool-probe");
            if (placeholder.ExitCode != 0 || refused.ExitCode == 0)
            {
                engine.Dispose();
                throw new InvalidOperationException($"The engine's address pool could not be used up ({placeholder.StdErr.Trim()}; a second network {(refused.ExitCode == 0 ? "was still created" : "was refused")}).");
            }
        }

        return engine;
    }

    /// <summary>Runs the docker CLI against this engine.</summary>
    public ProcessRunner.Result Cli(TimeSpan timeout, params string[] arguments) => DockerDaemon.CliAt(Host, timeout, arguments);

    public void Dispose()
    {
        // SIGTERM lets dockerd stop its containers and its containerd; SIGKILL only if it hangs.
        DaemonProcess.Stop(process);
        if (bridge is not null)
        {
            ProcessRunner.Run("ip", new[] { "link", "delete", bridge }, TimeSpan.FromSeconds(30));
        }

        // dockerd leaves the default network namespace bind-mounted under its exec root.
        DaemonProcess.RemoveDirectory(directory);
    }

    /// <summary>Two /24 subnets of 10.0.0.0/8 that no route of this machine touches: an address pool, and the default bridge's.</summary>
    private static (string Pool, string BridgeAddress) FreeSubnets()
    {
        string routes = ProcessRunner.Run("ip", new[] { "-4", "route", "show", "table", "all" }, TimeSpan.FromSeconds(30)).StdOut;
        var picked = new List<string>();
        for (int attempt = 0; attempt < 200 && picked.Count < 2; attempt++)
        {
            string prefix = $"10.{Random.Shared.Next(160, 250)}.{Random.Shared.Next(0, 256)}.";
            if (!routes.Contains(prefix, StringComparison.Ordinal) && !picked.Contains(prefix))
            {
                picked.Add(prefix);
            }
        }

        return (picked[0] + "0", picked[1] + "1");
    }
}
