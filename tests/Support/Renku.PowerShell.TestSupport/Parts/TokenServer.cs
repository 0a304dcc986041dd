using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// A small token service for docker-registry's <c>auth: token</c> mode (the Docker registry token
/// protocol): it checks Basic credentials (or an OAuth2 refresh token posted as a form) and issues
/// RS256 JWTs whose header carries the signing certificate in <c>x5c</c>; the registry trusts them
/// because that self-signed certificate is its <c>rootcertbundle</c>. Anonymous callers get pull
/// access to the public repositories only, and an empty grant elsewhere (as Docker Hub does).
/// </summary>
public sealed class TokenServer : IDisposable
{
    public const string Service = "renku-ps-test-registry";
    public const string Issuer = "renku-ps-test-issuer";

    private readonly HttpListener listener = new();
    private readonly RSA key = RSA.Create(2048);
    private readonly X509Certificate2 certificate;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private readonly string directory;

    private TokenServer(string user, string password, string? refreshToken, IEnumerable<string> publicRepositories)
    {
        User = user;
        Password = password;
        RefreshToken = refreshToken;
        PublicRepositories = new HashSet<string>(publicRepositories, StringComparer.Ordinal);
        var request = new CertificateRequest("CN=renku-ps test token issuer", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
        directory = Path.Combine(Path.GetTempPath(), "renku-ps-token-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(directory);
        BundlePath = Path.Combine(directory, "bundle.pem");
        File.WriteAllText(BundlePath, certificate.ExportCertificatePem() + "\n");
        Port = FreePort.Next();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        loop = Task.Run(AcceptLoopAsync);
    }

    public string User { get; }

    public string Password { get; }

    public string? RefreshToken { get; }

    public HashSet<string> PublicRepositories { get; }

    public int Port { get; }

    public string Realm => $"http://127.0.0.1:{Port}/token";

    /// <summary>The PEM file with the certificate the registry must trust.</summary>
    public string BundlePath { get; }

    /// <summary>Every token request: method, scope and whether it carried credentials.</summary>
    public ConcurrentQueue<(string Method, string? Scope, bool Authenticated)> Requests { get; } = new();

    /// <summary>The <c>auth:</c> section to hand to <see cref="RegistryServer.Start(string?, string?, string?)"/>.</summary>
    public string RegistryAuthConfig =>
        $"auth:\n  token:\n    realm: {Realm}\n    service: {Service}\n    issuer: {Issuer}\n    rootcertbundle: {BundlePath}\n";

    public static TokenServer Start(string user, string password, string? refreshToken = null, params string[] publicRepositories) =>
        new(user, password, refreshToken, publicRepositories);

    /// <summary>A token for <paramref name="repository"/> with the given actions, signed like the ones the service hands out.</summary>
    public string Issue(string subject, string repository, params string[] actions) =>
        Sign(subject, new[] { (repository, actions) });

    public void Dispose()
    {
        stopping.Cancel();
        try
        {
            listener.Stop();
            listener.Close();
        }
        catch (ObjectDisposedException)
        {
        }

        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }

        certificate.Dispose();
        key.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }

            _ = Task.Run(() => Handle(context));
        }
    }

    private void Handle(HttpListenerContext context)
    {
        try
        {
            HttpListenerRequest request = context.Request;
            string? scope;
            string? subject = null;
            bool authenticated = false;
            if (request.HttpMethod == "POST")
            {
                using var reader = new StreamReader(request.InputStream, Encoding.UTF8);
                var form = ParseQuery(reader.ReadToEnd());
                scope = form.GetValueOrDefault("scope");
                if (form.GetValueOrDefault("grant_type") != "refresh_token" || RefreshToken is null || form.GetValueOrDefault("refresh_token") != RefreshToken)
                {
                    Requests.Enqueue(("POST", scope, false));
                    Respond(context, 401, "{\"error\":\"invalid_grant\"}");
                    return;
                }

                subject = User;
                authenticated = true;
            }
            else
            {
                var query = ParseQuery(request.Url!.Query.TrimStart('?'));
                scope = query.GetValueOrDefault("scope");
                string? header = request.Headers["Authorization"];
                if (header is not null)
                {
                    string decoded = header.StartsWith("Basic ", StringComparison.Ordinal) ? Encoding.UTF8.GetString(Convert.FromBase64String(header.Substring(6))) : string.Empty;
                    if (decoded != User + ":" + Password)
                    {
                        Requests.Enqueue(("GET", scope, false));
                        Respond(context, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
                        return;
                    }

                    subject = User;
                    authenticated = true;
                }
            }

            Requests.Enqueue((request.HttpMethod, scope, authenticated));
            var grants = new List<(string Repository, string[] Actions)>();
            foreach (string item in (scope ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = item.Split(':');
                if (parts.Length != 3 || parts[0] != "repository")
                {
                    continue;
                }

                string[] asked = parts[2].Split(',');
                string[] granted = authenticated ? asked : PublicRepositories.Contains(parts[1]) ? asked.Where(a => a == "pull").ToArray() : Array.Empty<string>();
                grants.Add((parts[1], granted));
            }

            string token = Sign(subject ?? string.Empty, grants);
            Respond(context, 200, JsonSerializer.Serialize(new { token, access_token = token, expires_in = 300, issued_at = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ") }));
        }
        catch (Exception)
        {
            try
            {
                context.Response.Abort();
            }
            catch (Exception)
            {
            }
        }
    }

    private string Sign(string subject, IEnumerable<(string Repository, string[] Actions)> grants)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = new Dictionary<string, object>
        {
            ["typ"] = "JWT",
            ["alg"] = "RS256",
            ["x5c"] = new[] { Convert.ToBase64String(certificate.RawData) },
        };
        var claims = new Dictionary<string, object>
        {
            ["iss"] = Issuer,
            ["sub"] = subject,
            ["aud"] = Service,
            ["exp"] = now + 300,
            ["nbf"] = now - 10,
            ["iat"] = now,
            ["jti"] = Guid.NewGuid().ToString("N"),
            ["access"] = grants.Select(g => new Dictionary<string, object> { ["type"] = "repository", ["name"] = g.Repository, ["actions"] = g.Actions }).ToList(),
        };
        string signingInput = Base64Url(JsonSerializer.SerializeToUtf8Bytes(header)) + "." + Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        byte[] signature = key.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return signingInput + "." + Base64Url(signature);
    }

    private static string Base64Url(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static Dictionary<string, string> ParseQuery(string query)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=');
            string name = Uri.UnescapeDataString((eq < 0 ? pair : pair.Substring(0, eq)).Replace('+', ' '));
            string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair.Substring(eq + 1).Replace('+', ' '));
            values[name] = values.TryGetValue(name, out string? existing) ? existing + " " + value : value;
        }

        return values;
    }

    private static void Respond(HttpListenerContext context, int status, string json)
    {
        byte[] body = Encoding.UTF8.GetBytes(json);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength64 = body.Length;
        context.Response.OutputStream.Write(body);
        context.Response.Close();
    }
}
