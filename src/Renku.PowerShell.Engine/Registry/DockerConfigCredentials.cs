using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.Registry;

/// <summary>
/// Credentials from the user's Docker config: <c>auths</c> (<c>auth</c> or <c>identitytoken</c>),
/// <c>credHelpers</c> per registry and <c>credsStore</c>, the last two through
/// <c>docker-credential-&lt;name&gt; get</c>.
/// </summary>
internal sealed class DockerConfigCredentials
{
    private const string DockerHubConfigKey = "https://index.docker.io/v1/";
    private static readonly TimeSpan HelperTimeout = TimeSpan.FromSeconds(20);

    private readonly string? path;
    private readonly Action<string>? log;
    private readonly Lazy<JsonDocument?> document;

    internal DockerConfigCredentials(string? path, Action<string>? log)
    {
        this.path = path ?? DefaultPath();
        this.log = log;
        document = new Lazy<JsonDocument?>(Load, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary><c>$DOCKER_CONFIG/config.json</c>, else <c>~/.docker/config.json</c>.</summary>
    internal static string? DefaultPath()
    {
        string? dir = Environment.GetEnvironmentVariable("DOCKER_CONFIG");
        if (!string.IsNullOrEmpty(dir))
        {
            return Path.Combine(dir, "config.json");
        }

        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".docker", "config.json");
    }

    /// <summary>The credential the Docker config holds for <paramref name="registry"/> (as written in references), or null.</summary>
    internal RegistryCredential? Find(string registry)
    {
        try
        {
            return FindIn(registry);
        }
        catch (InvalidOperationException ex)
        {
            // A value of another type than Docker writes, or a string that is not text.
            log?.Invoke($"The Docker config {path} could not be read ({ex.GetType().Name}); going on without it.");
            return null;
        }
    }

    private RegistryCredential? FindIn(string registry)
    {
        JsonDocument? config = document.Value;
        if (config is null || config.RootElement.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        string[] keys = KeysFor(registry);
        JsonElement root = config.RootElement;
        if (root.TryGetProperty("credHelpers", out JsonElement helpers) && helpers.ValueKind == JsonValueKind.Object)
        {
            foreach (string key in keys)
            {
                if (helpers.TryGetProperty(key, out JsonElement helper) && helper.ValueKind == JsonValueKind.String && helper.GetString() is { Length: > 0 } name)
                {
                    return FromHelper(name, key);
                }
            }
        }

        if (root.TryGetProperty("auths", out JsonElement auths) && auths.ValueKind == JsonValueKind.Object)
        {
            foreach (JsonProperty entry in auths.EnumerateObject())
            {
                if (!keys.Contains(NormaliseKey(entry.Name), StringComparer.OrdinalIgnoreCase) || entry.Value.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                RegistryCredential? fromAuths = FromAuthsEntry(entry.Value);
                if (fromAuths is not null)
                {
                    return fromAuths;
                }
            }
        }

        if (root.TryGetProperty("credsStore", out JsonElement store) && store.ValueKind == JsonValueKind.String && store.GetString() is { Length: > 0 } storeName)
        {
            return FromHelper(storeName, registry == ImageReference.DockerHubRegistry ? DockerHubConfigKey : registry);
        }

        return null;
    }

    private static string[] KeysFor(string registry)
    {
        if (registry is ImageReference.DockerHubRegistry or "index.docker.io" or ImageReference.DockerHubApiHost)
        {
            return new[] { DockerHubConfigKey, "docker.io", "index.docker.io", "registry-1.docker.io", "https://index.docker.io/v1", "index.docker.io/v1/" };
        }

        return new[] { registry };
    }

    /// <summary><c>https://host:5000/v2/</c> and <c>host:5000</c> name the same registry.</summary>
    private static string NormaliseKey(string key)
    {
        if (key == DockerHubConfigKey)
        {
            return key;
        }

        string result = key;
        int scheme = result.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            result = result.Substring(scheme + 3);
        }

        int slash = result.IndexOf('/');
        return slash >= 0 ? result.Substring(0, slash) : result;
    }

    private static RegistryCredential? FromAuthsEntry(JsonElement entry)
    {
        if (entry.TryGetProperty("identitytoken", out JsonElement identity) && identity.ValueKind == JsonValueKind.String && identity.GetString() is { Length: > 0 } token)
        {
            return RegistryCredential.FromIdentityToken(token);
        }

        if (entry.TryGetProperty("auth", out JsonElement auth) && auth.ValueKind == JsonValueKind.String && auth.GetString() is { Length: > 0 } encoded)
        {
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(encoded));
            }
            catch (FormatException)
            {
                return null;
            }

            int colon = decoded.IndexOf(':');
            return colon > 0 ? new RegistryCredential(decoded.Substring(0, colon), decoded.Substring(colon + 1)) : null;
        }

        if (entry.TryGetProperty("username", out JsonElement user) && entry.TryGetProperty("password", out JsonElement password)
            && user.GetString() is { Length: > 0 } userName && password.GetString() is { } secret)
        {
            return new RegistryCredential(userName, secret);
        }

        return null;
    }

    private RegistryCredential? FromHelper(string helperName, string serverUrl)
    {
        if (helperName.IndexOfAny(new[] { '/', '\\', ' ' }) >= 0)
        {
            log?.Invoke($"Ignoring the credential helper name '{helperName}': it is not a plain name.");
            return null;
        }

        string program = "docker-credential-" + helperName;
        var info = new ProcessStartInfo(program, "get")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        try
        {
            using Process process = Process.Start(info) ?? throw new InvalidOperationException();
            process.StandardInput.Write(serverUrl);
            process.StandardInput.Close();
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> errors = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit((int)HelperTimeout.TotalMilliseconds))
            {
                process.Kill(entireProcessTree: true);
                log?.Invoke($"The credential helper {program} did not answer within {HelperTimeout.TotalSeconds:0} s; going on without credentials.");
                return null;
            }

            if (process.ExitCode != 0)
            {
                // Helpers answer "credentials not found" with a non-zero exit; that is not an error.
                log?.Invoke($"The credential helper {program} has no credentials for {serverUrl}.");
                return null;
            }

            using JsonDocument answer = JsonDocument.Parse(output.Result);
            string? userName = answer.RootElement.TryGetProperty("Username", out JsonElement u) ? u.GetString() : null;
            string? secret = answer.RootElement.TryGetProperty("Secret", out JsonElement s) ? s.GetString() : null;
            if (string.IsNullOrEmpty(secret))
            {
                return null;
            }

            return userName == "<token>" ? RegistryCredential.FromIdentityToken(secret) : new RegistryCredential(userName ?? string.Empty, secret);
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException or IOException or JsonException)
        {
            log?.Invoke($"The credential helper {program} could not be used ({ex.GetType().Name}); going on without credentials.");
            return null;
        }
    }

    private JsonDocument? Load()
    {
        if (path is null || !File.Exists(path))
        {
            return null;
        }

        try
        {
            return JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException)
        {
            log?.Invoke($"The Docker config {path} could not be read ({ex.GetType().Name}); going on without it.");
            return null;
        }
    }
}
