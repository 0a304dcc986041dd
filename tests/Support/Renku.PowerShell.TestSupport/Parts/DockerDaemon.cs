using System.Diagnostics;
using System.Net.Sockets;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A real Docker engine for tests: a private dockerd (vfs storage, no bridge, no iptables) on its
/// own unix socket, started once per machine and shared by every test process. Set
/// RENKU_TEST_DOCKER_HOST to use an engine you already run instead.
/// </summary>
public static class DockerDaemon
{
    private const string StateDirectory = "/tmp/renku-ps-test-docker";
    private static readonly object Gate = new();
    private static string? host;

    public static string SocketPath => Path.Combine(StateDirectory, "docker.sock");

    /// <summary>
    /// The engine's address (<c>unix:///...</c>). Skips the test (fails it under CI=true) when no
    /// engine can be had.
    /// </summary>
    public static string Require()
    {
        lock (Gate)
        {
            if (host is not null)
            {
                return host;
            }

            string? configured = Environment.GetEnvironmentVariable("RENKU_TEST_DOCKER_HOST");
            if (!string.IsNullOrEmpty(configured))
            {
                host = configured;
                return host;
            }

            string? dockerd = Requires.Which("dockerd");
            Requires.Part(dockerd is not null, "dockerd", "install it with 'apt-get install docker.io' (tests start it as root on a private socket)");
            Requires.Part(Environment.UserName == "root" || IsResponsive(), "dockerd", "the tests start dockerd themselves and need root for that; or set RENKU_TEST_DOCKER_HOST");
            Directory.CreateDirectory(StateDirectory);

            // Several test processes may get here at once: one starts the daemon, the others wait.
            using (FileStream _ = AcquireLock(Path.Combine(StateDirectory, "start.lock"), TimeSpan.FromSeconds(90)))
            {
                if (!IsResponsive())
                {
                    Start(dockerd!);
                }
            }

            host = "unix://" + SocketPath;
            return host;
        }
    }

    /// <summary>Runs the docker CLI against the test engine.</summary>
    public static ProcessRunner.Result Cli(TimeSpan timeout, params string[] arguments) => CliAt(Require(), timeout, arguments);

    /// <summary>Runs the docker CLI against the engine at <paramref name="engine"/> (<c>unix:///...</c>).</summary>
    public static ProcessRunner.Result CliAt(string engine, TimeSpan timeout, params string[] arguments)
    {
        string docker = Requires.Executable("docker", "docker.io");
        return ProcessRunner.Run(docker, new[] { "-H", engine }.Concat(arguments), timeout);
    }

    private static void Start(string dockerd)
    {
        if (File.Exists(SocketPath))
        {
            File.Delete(SocketPath);
        }

        string pidFile = Path.Combine(StateDirectory, "docker.pid");
        if (File.Exists(pidFile))
        {
            File.Delete(pidFile);
        }

        var info = new ProcessStartInfo(dockerd)
        {
            UseShellExecute = false,
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        foreach (string argument in new[]
        {
            "-H", "unix://" + SocketPath,
            "--storage-driver=vfs", "--iptables=false", "--ip-masq=false", "--bridge=none",
            "--data-root", Path.Combine(StateDirectory, "data"),
            "--exec-root", Path.Combine(StateDirectory, "exec"),
            "--pidfile", pidFile,
            "--log-level", "warn",
        })
        {
            info.ArgumentList.Add(argument);
        }

        // The daemon outlives the test process on purpose (other test processes share it);
        // its output goes to a log file through a shell redirect so no pipe keeps us alive.
        var shell = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        shell.ArgumentList.Add("-c");
        shell.ArgumentList.Add("exec \"$0\" \"$@\" >>" + Path.Combine(StateDirectory, "dockerd.log") + " 2>&1 </dev/null &");
        shell.ArgumentList.Add(dockerd);
        foreach (string argument in info.ArgumentList)
        {
            shell.ArgumentList.Add(argument);
        }

        using (Process starter = Process.Start(shell)!)
        {
            starter.WaitForExit(10_000);
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (IsResponsive())
            {
                return;
            }

            Thread.Sleep(200);
        }

        string log = File.Exists(Path.Combine(StateDirectory, "dockerd.log")) ? File.ReadAllText(Path.Combine(StateDirectory, "dockerd.log")) : string.Empty;
        Requires.Part(false, "dockerd", "it did not answer within 60 s: " + (log.Length > 2000 ? log[^2000..] : log));
    }

    private static bool IsResponsive() => Answers(SocketPath);

    /// <summary>True when an engine answers <c>/_ping</c> on the unix socket at <paramref name="socketPath"/>.</summary>
    internal static bool Answers(string socketPath)
    {
        if (!File.Exists(socketPath))
        {
            return false;
        }

        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(socketPath));
            socket.Send("GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n"u8.ToArray());
            socket.ReceiveTimeout = 2000;
            byte[] buffer = new byte[256];
            int read = socket.Receive(buffer);
            return read > 0 && System.Text.Encoding.ASCII.GetString(buffer, 0, read).Contains(" 200 ", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
    }

    internal static FileStream AcquireLock(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(100);
            }
        }
    }
}
