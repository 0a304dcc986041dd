using System.Diagnostics;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A real OCI registry (Debian's docker-registry) on a free 127.0.0.1 port, with its own storage,
/// stopped and deleted on dispose. Plain HTTP, or htpasswd Basic auth with <see cref="WithBasicAuth"/>.
/// </summary>
public sealed class RegistryServer : IDisposable
{
    private readonly Process process;
    private readonly string directory;

    private RegistryServer(Process process, string directory, int port, string? user, string? password)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
        User = user;
        Password = password;
    }

    public int Port { get; }

    /// <summary><c>127.0.0.1:port</c>, as used in image references.</summary>
    public string Host => "127.0.0.1:" + Port;

    public Uri BaseUri => new("http://" + Host + "/");

    public string? User { get; }

    public string? Password { get; }

    public string StorageDirectory => Path.Combine(directory, "storage");

    /// <summary>CPU time the registry process has used so far (user + system); for benchmarks.</summary>
    public TimeSpan ProcessorTime
    {
        get
        {
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    public static RegistryServer Start() => Start(null, null, extraConfig: null);

    public static RegistryServer WithBasicAuth(string user, string password) => Start(user, password, extraConfig: null);

    /// <summary>
    /// Starts a registry with extra top-level YAML (for example an <c>auth: token:</c> section);
    /// the <c>http</c> and <c>storage</c> sections are written by this fixture.
    /// </summary>
    public static RegistryServer Start(string? user, string? password, string? extraConfig) => Start(user, password, extraConfig, tls: null);

    /// <summary>A registry that serves HTTPS only, with the given PEM certificate and key files.</summary>
    public static RegistryServer WithTls(string certificatePemPath, string keyPemPath) => Start(null, null, null, (certificatePemPath, keyPemPath));

    private static RegistryServer Start(string? user, string? password, string? extraConfig, (string Certificate, string Key)? tls)
    {
        string binary = Requires.Executable("docker-registry", "docker-registry");
        string directory = Path.Combine(Path.GetTempPath(), "renku-ps-registry-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(Path.Combine(directory, "storage"));
        int port = FreePort.Next();

        string auth = string.Empty;
        if (user is not null)
        {
            string htpasswdTool = Requires.Executable("htpasswd", "apache2-utils");
            var result = ProcessRunner.Run(htpasswdTool, new[] { "-Bbn", user, password ?? string.Empty }, TimeSpan.FromSeconds(30)).EnsureSuccess("htpasswd");
            File.WriteAllText(Path.Combine(directory, "htpasswd"), result.StdOut.Trim() + "\n");
            auth = $"auth:\n  htpasswd:\n    realm: renku-ps-test\n    path: {Path.Combine(directory, "htpasswd")}\n";
        }

        string config =
            "version: 0.1\n" +
            "log:\n  level: warn\n" +
            $"storage:\n  cache:\n    blobdescriptor: inmemory\n  filesystem:\n    rootdirectory: {Path.Combine(directory, "storage")}\n  delete:\n    enabled: true\n" +
            $"http:\n  addr: 127.0.0.1:{port}\n" +
            (tls is null ? string.Empty : $"  tls:\n    certificate: {tls.Value.Certificate}\n    key: {tls.Value.Key}\n") +
            auth +
            (extraConfig ?? string.Empty);
        string configPath = Path.Combine(directory, "config.yml");
        File.WriteAllText(configPath, config);

        Process process = ProcessRunner.StartServer(binary, "serve", configPath);

        if (!FreePort.WaitForListener(port, TimeSpan.FromSeconds(20)))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            Requires.Part(false, "docker-registry", "it did not start listening within 20 s");
        }

        return new RegistryServer(process, directory, port, user, password);
    }

    public void Dispose()
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
}
