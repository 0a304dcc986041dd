using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Renku.PowerShell.Auth;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Http;

namespace Renku.PowerShell.RenkuApi;

/// <summary>
/// The data API calls for global environments, session launchers, the user, the version and
/// the platform's image pull check.
/// Error answers become <see cref="RenkuApiException"/>; a 401 is answered by renewing the token once.
/// </summary>
public sealed class RenkuApiClient
{
    private const int MaxBodyBytes = 16 * 1024 * 1024;

    private readonly RenkuConnection connection;
    private readonly Action<string>? log;

    public RenkuApiClient(RenkuConnection connection, Action<string>? log = null)
    {
        this.connection = connection;
        this.log = log;
    }

    public RenkuConnection Connection => connection;

    public async Task<IReadOnlyList<GlobalEnvironment>> GetEnvironmentsAsync(bool includeArchived, CancellationToken cancellationToken)
    {
        var list = await SendAsync<List<EnvironmentJson>>(HttpMethod.Get, "environments" + (includeArchived ? "?include_archived=true" : string.Empty), null, cancellationToken).ConfigureAwait(false);
        return (list ?? new()).Select(e => e.ToEnvironment(connection.ApiUri)).ToList();
    }

    /// <summary>The environment, or null when the API answers 404.</summary>
    public async Task<GlobalEnvironment?> GetEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        RequireId(id);
        try
        {
            var json = await SendAsync<EnvironmentJson>(HttpMethod.Get, "environments/" + id, null, cancellationToken).ConfigureAwait(false);
            return json?.ToEnvironment(connection.ApiUri);
        }
        catch (RenkuApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates an environment with every value sent explicitly (never the API's own defaults).</summary>
    public async Task<GlobalEnvironment> CreateEnvironmentAsync(EnvironmentSpec spec, CancellationToken cancellationToken)
    {
        var problems = EnvironmentValidator.Validate(spec);
        if (problems.Count > 0)
        {
            throw new ArgumentException(problems[0].Message, problems[0].Parameter);
        }

        var json = await SendAsync<EnvironmentJson>(HttpMethod.Post, "environments", CreateBody(spec), cancellationToken).ConfigureAwait(false);
        return json!.ToEnvironment(connection.ApiUri);
    }

    /// <summary>Sends only <paramref name="changes"/> (a partial object).</summary>
    public async Task<GlobalEnvironment> UpdateEnvironmentAsync(string id, IReadOnlyCollection<EnvironmentFieldChange> changes, CancellationToken cancellationToken)
    {
        RequireId(id);
        foreach (var change in changes)
        {
            var problem = EnvironmentValidator.Check(change.Field, change.NewValue, forPatch: true);
            if (problem is not null)
            {
                throw new ArgumentException(problem.Message, problem.Parameter);
            }
        }

        var json = await SendAsync<EnvironmentJson>(HttpMethod.Patch, "environments/" + id, EnvironmentDiff.PatchBody(changes), cancellationToken).ConfigureAwait(false);
        return json!.ToEnvironment(connection.ApiUri);
    }

    /// <summary>Deletes; note that the API answers 204 for an id that does not exist, so callers check first.</summary>
    public Task DeleteEnvironmentAsync(string id, CancellationToken cancellationToken)
    {
        RequireId(id);
        return SendAsync<object>(HttpMethod.Delete, "environments/" + id, null, cancellationToken);
    }

    /// <summary>Every launcher the caller can read (all of them for an admin), or one project's.</summary>
    public async Task<IReadOnlyList<SessionLauncher>> GetSessionLaunchersAsync(string? projectId, CancellationToken cancellationToken)
    {
        string path = "session_launchers";
        if (projectId is not null)
        {
            RequireId(projectId);
            path = $"projects/{projectId}/session_launchers";
        }

        var list = await SendAsync<List<LauncherJson>>(HttpMethod.Get, path, null, cancellationToken).ConfigureAwait(false);
        return (list ?? new()).Select(l => l.ToLauncher()).ToList();
    }

    /// <summary>
    /// Renku's own pull check of <paramref name="image"/> (<c>GET /sessions/images</c>): whether the
    /// deployment can pull it for this user, and with which registry connection.
    /// </summary>
    public async Task<PlatformImageCheck> CheckImageAsync(string image, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(image);
        var json = await SendAsync<ImageCheckJson>(HttpMethod.Get, "sessions/images?image_url=" + Uri.EscapeDataString(image), null, cancellationToken).ConfigureAwait(false);
        return (json ?? new ImageCheckJson()).ToCheck(image);
    }

    /// <summary>
    /// The resource pools the caller may use (every pool for an admin), with their classes
    /// (<c>GET /resource_pools</c>), ordered by id.
    /// </summary>
    public async Task<IReadOnlyList<ResourcePool>> GetResourcePoolsAsync(CancellationToken cancellationToken)
    {
        var list = await SendAsync<List<ResourcePoolJson>>(HttpMethod.Get, "resource_pools", null, cancellationToken).ConfigureAwait(false);
        return (list ?? new()).Select(p => p.ToPool()).OrderBy(p => p.Id).ToList();
    }

    /// <summary>One resource pool (<c>GET /resource_pools/{id}</c>), or null when the API answers 404.</summary>
    public async Task<ResourcePool?> GetResourcePoolAsync(int id, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(id, 1);
        try
        {
            var json = await SendAsync<ResourcePoolJson>(HttpMethod.Get, "resource_pools/" + id.ToString(System.Globalization.CultureInfo.InvariantCulture), null, cancellationToken).ConfigureAwait(false);
            return json?.ToPool();
        }
        catch (RenkuApiException ex) when (ex.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<RenkuUser> GetUserAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync<UserJson>(HttpMethod.Get, "user", null, cancellationToken).ConfigureAwait(false);
        return new RenkuUser
        {
            Id = json?.Id ?? string.Empty,
            UserName = json?.UserName ?? string.Empty,
            Email = json?.Email,
            FirstName = json?.FirstName,
            LastName = json?.LastName,
            IsAdmin = json?.IsAdmin ?? false,
        };
    }

    public async Task<string?> GetVersionAsync(CancellationToken cancellationToken)
    {
        var json = await SendAsync<VersionJson>(HttpMethod.Get, "version", null, cancellationToken).ConfigureAwait(false);
        return json?.Version;
    }

    internal static JsonObject CreateBody(EnvironmentSpec spec)
    {
        var body = new JsonObject
        {
            ["name"] = spec.Name,
            ["container_image"] = spec.Image,
            ["environment_image_source"] = "image",
            ["default_url"] = spec.DefaultUrl,
            ["port"] = spec.Port,
            ["uid"] = spec.Uid,
            ["gid"] = spec.Gid,
            ["strip_path_prefix"] = spec.StripPathPrefix,
            ["is_archived"] = spec.IsArchived,
        };
        if (!string.IsNullOrEmpty(spec.Description))
        {
            body["description"] = spec.Description;
        }

        if (!string.IsNullOrEmpty(spec.WorkingDirectory))
        {
            body["working_directory"] = spec.WorkingDirectory;
        }

        if (!string.IsNullOrEmpty(spec.MountDirectory))
        {
            body["mount_directory"] = spec.MountDirectory;
        }

        if (spec.Command is { Length: > 0 })
        {
            body["command"] = new JsonArray(spec.Command.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        }

        if (spec.Args is { Length: > 0 })
        {
            body["args"] = new JsonArray(spec.Args.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray());
        }

        return body;
    }

    private static void RequireId(string id)
    {
        if (!EnvironmentValidator.IsUlid(id))
        {
            throw new ArgumentException($"'{id}' is not a Renku id (a 26-character ULID).", nameof(id));
        }
    }

    private async Task<T?> SendAsync<T>(HttpMethod method, string relative, JsonNode? body, CancellationToken cancellationToken)
        where T : class
    {
        if (!connection.IsOpen)
        {
            throw new InvalidOperationException("The connection was closed with Disconnect-RenkuInstance; connect again with Connect-RenkuInstance.");
        }

        var uri = new Uri(connection.ApiUri, relative);
        string what = $"{method.Method} /{relative.Split('?')[0]}";

        // Checked on every request, not only at connect: the connection keeps the user's opt-in, nothing else.
        CredentialTransport.Require(uri, connection.Options.AllowUnencryptedAuthentication, "the access token", RenkuConnectionOptions.PlainHttpOptIn);
        return await TimedHttp.WithinAsync(connection.Options.Timeouts, what, ct => SendOnceAsync<T>(method, uri, what, body?.ToJsonString(), ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<T?> SendOnceAsync<T>(HttpMethod method, Uri uri, string what, string? payload, CancellationToken cancellationToken)
        where T : class
    {
        HttpTimeouts timeouts = connection.Options.Timeouts;
        for (int attempt = 0; ; attempt++)
        {
            string token;
            try
            {
                token = await connection.Tokens.GetAsync(forceRenew: attempt > 0, cancellationToken).ConfigureAwait(false);
            }
            catch (OAuthException ex)
            {
                throw new RenkuApiException(HttpStatusCode.Unauthorized, null, "the access token could not be renewed: " + ex.Message, null, what);
            }

            using var request = new HttpRequestMessage(method, uri);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (payload is not null)
            {
                request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
                log?.Invoke($"{what} {payload}");
            }
            else
            {
                log?.Invoke($"{method.Method} {uri}");
            }

            using HttpResponseMessage response = await TimedHttp.SendAsync(connection.Http, request, timeouts, what, cancellationToken).ConfigureAwait(false);
            log?.Invoke($"{what} -> {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0 && connection.Tokens.CanRenew)
            {
                log?.Invoke("The data API refused the access token; renewing it once and retrying.");
                continue;
            }

            byte[] content = await TimedHttp.ReadBodyAsync(
                response,
                timeouts,
                MaxBodyBytes,
                what,
                () => new RenkuApiException(response.StatusCode, null, $"the answer is larger than {MaxBodyBytes / (1024 * 1024)} MiB", null, what),
                cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw ErrorFrom(response.StatusCode, content, what);
            }

            if (response.StatusCode == HttpStatusCode.NoContent || content.Length == 0 || typeof(T) == typeof(object))
            {
                return null;
            }

            try
            {
                return JsonSerializer.Deserialize<T>(content);
            }
            catch (JsonException ex)
            {
                throw new RenkuApiException(response.StatusCode, null, "the answer is not the JSON the API describes: " + ex.Message, null, what);
            }
        }
    }

    private static RenkuApiException ErrorFrom(HttpStatusCode status, byte[] content, string what)
    {
        int? code = null;
        string? message = null;
        string? detail = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out int n) ? n : null;
                message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
                detail = error.TryGetProperty("detail", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not the API's error shape (a proxy's HTML page, say): the status alone must do.
        }

        return new RenkuApiException(status, code, message, detail, what);
    }
}
