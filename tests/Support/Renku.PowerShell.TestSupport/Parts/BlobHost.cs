using System.Diagnostics;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// nginx on a free 127.0.0.1 port serving a directory as static files: the blob host a registry
/// redirects downloads to (as Docker Hub, ghcr.io and Quay hand blobs to a CDN or object store).
/// Point a <see cref="RegistryServer"/>'s redirect middleware at it with its storage directory as
/// the root. Stopped and its files deleted on dispose.
/// </summary>
public sealed class BlobHost : IDisposable
{
    private readonly Process process;
    private readonly string directory;

    private BlobHost(Process process, string directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Host => "127.0.0.1:" + Port;

    /// <summary>CPU time nginx has used so far (master and worker); for benchmarks.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            TimeSpan total = TimeSpan.Zero;
            foreach (int pid in new[] { process.Id }.Concat(Children(process.Id)))
            {
                total += CpuOf(pid);
            }

            return total;
        }
    }

    /// <summary>Serves <paramref name="root"/> (read-only, no listing, no access log) on <paramref name="port"/> (0: a free one).</summary>
    public static BlobHost Start(string root, int port = 0)
    {
        string binary = Requires.Executable("nginx", "nginx-light");
        string directory = Directory.CreateTempSubdirectory("renku-ps-blobhost-").FullName;
        port = port == 0 ? FreePort.Next() : port;
        // Root may read any file it is given; the worker runs as the invoking user so that the
        // registry's private temp directory stays readable.
        string user = Environment.UserName == "root" ? "user root;\n" : string.Empty;
        string config =
            user +
            "daemon off;\n" +
            "master_process on;\n" +
            "worker_processes 1;\n" +
            $"pid {Path.Combine(directory, "nginx.pid")};\n" +
            $"error_log {Path.Combine(directory, "error.log")} warn;\n" +
            "events { worker_connections 512; }\n" +
            "http {\n" +
            "  access_log off;\n" +
            "  sendfile on;\n" +
            "  tcp_nodelay on;\n" +
            "  keepalive_requests 10000;\n" +
            $"  client_body_temp_path {directory}; proxy_temp_path {directory}; fastcgi_temp_path {directory}; uwsgi_temp_path {directory}; scgi_temp_path {directory};\n" +
            "  default_type application/octet-stream;\n" +
            $"  server {{ listen 127.0.0.1:{port}; root {root}; autoindex off; location / {{ limit_except GET {{ deny all; }} }} }}\n" +
            "}\n";
        string configPath = Path.Combine(directory, "nginx.conf");
        File.WriteAllText(configPath, config);
        Process process = ProcessRunner.StartServer(binary, "-p", directory, "-c", configPath);
        if (!FreePort.WaitForListener(port, TimeSpan.FromSeconds(20)))
        {
            Stop(process);
            string log = File.Exists(Path.Combine(directory, "error.log")) ? File.ReadAllText(Path.Combine(directory, "error.log")) : string.Empty;
            Requires.Part(false, "nginx", "it did not start listening within 20 s. " + log);
        }

        return new BlobHost(process, directory, port);
    }

    public void Dispose()
    {
        Stop(process);
        process.Dispose();
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

    private static void Stop(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException)
        {
        }
    }

    private static IEnumerable<int> Children(int pid)
    {
        string path = $"/proc/{pid}/task/{pid}/children";
        return File.Exists(path)
            ? File.ReadAllText(path).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList()
            : Enumerable.Empty<int>();
    }

    private static TimeSpan CpuOf(int pid)
    {
        try
        {
            // Fields 14 and 15 of /proc/<pid>/stat: user and system time in clock ticks (100 per second).
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return TimeSpan.FromMilliseconds((long.Parse(fields[11]) + long.Parse(fields[12])) * 10);
        }
        catch (IOException)
        {
            return TimeSpan.Zero;
        }
    }
}
