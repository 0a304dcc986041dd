using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using Renku.PowerShell.Http;

namespace Renku.PowerShell.Registry;

/// <summary>
/// The OCI distribution API over HttpClient: manifests, blobs and tags, with token and Basic
/// auth, retries, redirects that never carry credentials to another host, and size bounds.
/// One instance is safe to share between concurrent calls (the token cache is concurrent).
/// </summary>
internal sealed class RegistryClient : IDisposable
{
    private const int MaxRedirects = 5;
    private const int MaxTagPages = 10_000;
    private const long MaxTagPageBytes = 16L * 1024 * 1024;
    private const int MaxBlobRestarts = 3;
    private const long MaxTokenBytes = 1024 * 1024;
    private static readonly TimeSpan TokenSafetyMargin = TimeSpan.FromSeconds(10);

    private readonly RegistryClientOptions options;
    private readonly HttpClient http;
    private readonly ConcurrentDictionary<string, CachedAuthorization> authorizations = new(StringComparer.Ordinal);
    private readonly DockerConfigCredentials? dockerConfig;

    internal RegistryClient(RegistryClientOptions options)
    {
        this.options = options;
        HttpMessageHandler handler = options.Handler ?? CreateHandler(options);
        http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Renku.PowerShell", typeof(RegistryClient).Assembly.GetName().Version?.ToString(3) ?? "0"));
        dockerConfig = options.UseDockerConfig ? new DockerConfigCredentials(options.DockerConfigPath, options.Log) : null;
    }

    internal RegistryClientOptions Options => options;

    public void Dispose() => http.Dispose();

    internal Uri BaseUri(string registry) => RegistryEndpoint.BaseUri(registry, options.InsecureRegistries);

    /// <summary>Fetches a manifest or index by tag or digest; verifies it against the digest asked for and the one announced.</summary>
    internal async Task<ManifestDocument> GetManifestAsync(string registry, string repository, string reference, DownloadCounter counter, CancellationToken ct)
    {
        var spec = new RequestSpec(registry, repository, HttpMethod.Get, new Uri(BaseUri(registry), $"v2/{repository}/manifests/{reference}"), MediaTypes.ManifestAccept, Anonymous: false, What: $"the manifest {repository}:{reference}");
        (byte[] body, HttpResponseMessage response) = await FetchSmallAsync(spec, options.MaxManifestBytes, "manifest", counter, ct).ConfigureAwait(false);
        using (response)
        {
            string computed = Digests.Sha256(body);
            if (reference.Contains(':'))
            {
                string actual = Digests.Compute(reference, body);
                if (!string.Equals(actual, reference, StringComparison.Ordinal))
                {
                    throw Digests.Mismatch($"manifest {repository}@{reference}", reference, actual);
                }

                computed = actual;
            }

            if (response.Headers.TryGetValues("Docker-Content-Digest", out IEnumerable<string>? announcedValues)
                && announcedValues.FirstOrDefault() is { Length: > 0 } announced
                && Digests.IsValid(announced))
            {
                string actual = Digests.Compute(announced, body);
                if (!string.Equals(actual, announced, StringComparison.Ordinal))
                {
                    throw Digests.Mismatch($"manifest {repository}:{reference}", announced, actual);
                }
            }

            return ManifestDocument.Parse(body, response.Content.Headers.ContentType?.MediaType, computed, $"{registry}/{repository}:{reference}");
        }
    }

    /// <summary>Reads a small blob (a config) whole, bounded and verified.</summary>
    internal async Task<byte[]> GetBlobBytesAsync(string registry, string repository, string digest, long maxBytes, DownloadCounter counter, CancellationToken ct)
    {
        var spec = new RequestSpec(registry, repository, HttpMethod.Get, new Uri(BaseUri(registry), $"v2/{repository}/blobs/{digest}"), Array.Empty<string>(), Anonymous: false, What: $"the blob {digest}");
        (byte[] body, HttpResponseMessage response) = await FetchSmallAsync(spec, maxBytes, "config blob", counter, ct).ConfigureAwait(false);
        response.Dispose();
        string actual = Digests.Compute(digest, body);
        if (!string.Equals(actual, digest, StringComparison.Ordinal))
        {
            throw Digests.Mismatch($"blob {repository}@{digest}", digest, actual);
        }

        return body;
    }

    /// <summary>
    /// Opens a layer blob as a stream that counts against the layer budget, restarts from the
    /// beginning when the connection drops, and verifies the digest when read to the end.
    /// </summary>
    internal Stream OpenBlob(string registry, string repository, string digest, long? size, DownloadCounter counter)
    {
        var spec = new RequestSpec(registry, repository, HttpMethod.Get, new Uri(BaseUri(registry), $"v2/{repository}/blobs/{digest}"), Array.Empty<string>(), Anonymous: false, What: $"the blob {digest}");
        return new VerifyingBlobStream(
            async ct =>
            {
                HttpResponseMessage response = await SendAsync(spec, ct).ConfigureAwait(false);
                return new ResponseStream(response, Guard(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), spec));
            },
            digest,
            size,
            counter,
            MaxBlobRestarts,
            options.Log);
    }

    /// <summary>Every tag of a repository, following <c>Link</c> pagination on the registry's own host.</summary>
    internal async Task<IReadOnlyList<string>> ListTagsAsync(string registry, string repository, DownloadCounter counter, CancellationToken ct)
    {
        Uri origin = BaseUri(registry);
        Uri? next = new Uri(origin, $"v2/{repository}/tags/list?n=1000");
        var tags = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        int pages = 0;
        while (next is not null)
        {
            if (++pages > MaxTagPages || !visited.Add(next.AbsoluteUri))
            {
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The tag list of {registry}/{repository} did not end after {pages - 1} pages (or its links loop); giving up.");
            }

            var spec = new RequestSpec(registry, repository, HttpMethod.Get, next, new[] { "application/json" }, Anonymous: false, What: $"the tags of {repository}");
            (byte[] body, HttpResponseMessage response) = await FetchSmallAsync(spec, MaxTagPageBytes, "tag list page", counter, ct).ConfigureAwait(false);
            using (response)
            {
                foreach (string tag in ParseTags(body))
                {
                    if (seen.Add(tag))
                    {
                        tags.Add(tag);
                    }
                }

                next = NextLink(response, next, origin, registry, repository);
            }
        }

        return tags;
    }

    /// <summary>Decides public access with a request that carries no credentials at all.</summary>
    internal async Task<PublicAccess> ClassifyPublicAccessAsync(string registry, string repository, string reference, CancellationToken ct)
    {
        var spec = new RequestSpec(registry, repository, HttpMethod.Head, new Uri(BaseUri(registry), $"v2/{repository}/manifests/{reference}"), MediaTypes.ManifestAccept, Anonymous: true, What: $"the manifest {repository}:{reference} without credentials");
        try
        {
            using HttpResponseMessage response = await SendAsync(spec, ct).ConfigureAwait(false);
            return PublicAccess.Public;
        }
        catch (RegistryException ex)
        {
            return ex.Kind switch
            {
                RegistryErrorKind.NotFound => PublicAccess.NotFound,
                RegistryErrorKind.Unauthorized => PublicAccess.Private,
                RegistryErrorKind.RateLimited => PublicAccess.RateLimited,
                RegistryErrorKind.Unreachable or RegistryErrorKind.TimedOut => PublicAccess.Unreachable,
                _ => PublicAccess.Unknown,
            };
        }
    }

    private static IEnumerable<string> ParseTags(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, "The registry's tag list is not JSON.", ex);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("tags", out JsonElement tags)
                || tags.ValueKind != JsonValueKind.Array)
            {
                // "tags": null is what registries answer for a repository without tags.
                yield break;
            }

            foreach (JsonElement tag in tags.EnumerateArray())
            {
                if (JsonText.StringOrNull(tag) is { Length: > 0 } name && IsValidTag(name))
                {
                    yield return name;
                }
            }
        }
    }

    private static bool IsValidTag(string tag)
    {
        if (tag.Length > 128 || !(char.IsAsciiLetterOrDigit(tag[0]) || tag[0] == '_'))
        {
            return false;
        }

        return tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');
    }

    private Uri? NextLink(HttpResponseMessage response, Uri current, Uri origin, string registry, string repository)
    {
        if (!response.Headers.TryGetValues("Link", out IEnumerable<string>? links))
        {
            return null;
        }

        foreach (string header in links)
        {
            foreach (string link in header.Split(','))
            {
                int open = link.IndexOf('<');
                int close = link.IndexOf('>');
                if (open < 0 || close < open || !link.Substring(close).Contains("rel=\"next\"", StringComparison.OrdinalIgnoreCase) && !link.Substring(close).Contains("rel=next", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                string target = link.Substring(open + 1, close - open - 1).Trim();
                if (!Uri.TryCreate(current, target, out Uri? next))
                {
                    throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The tag list of {registry}/{repository} links to an unreadable next page.");
                }

                if (!RegistryEndpoint.SameOrigin(next, origin))
                {
                    throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The tag list of {registry}/{repository} links its next page to another host ({next.Host}); refusing to follow it.");
                }

                return next;
            }
        }

        return null;
    }

    /// <summary>A bounded, retried read of a whole small response body.</summary>
    private async Task<(byte[] Body, HttpResponseMessage Response)> FetchSmallAsync(RequestSpec spec, long maxBytes, string what, DownloadCounter counter, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            HttpResponseMessage response = await SendAsync(spec, ct).ConfigureAwait(false);
            try
            {
                long? length = response.Content.Headers.ContentLength;
                if (length > maxBytes)
                {
                    throw new RegistryException(RegistryErrorKind.TooLarge, $"The {what} at {spec.Uri.AbsolutePath} is {length} bytes; at most {maxBytes} are accepted.");
                }

                await using Stream stream = Guard(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), spec);
                byte[] body = await BoundedBody.ReadAsync(
                    stream,
                    maxBytes,
                    () => new RegistryException(RegistryErrorKind.TooLarge, $"The {what} at {spec.Uri.AbsolutePath} is larger than {maxBytes} bytes; refused."),
                    read => counter.Add(read),
                    ct).ConfigureAwait(false);
                return (body, response);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException && !ct.IsCancellationRequested && attempt < options.MaxAttempts)
            {
                response.Dispose();
                options.Log?.Invoke($"The connection dropped while reading {spec.What}; reading it again (attempt {attempt + 1} of {options.MaxAttempts}).");
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
    }

    /// <summary>
    /// Sends a request with authentication, retries and redirects. Returns a 2xx response (the
    /// caller disposes it) or throws a <see cref="RegistryException"/>.
    /// </summary>
    internal async Task<HttpResponseMessage> SendAsync(RequestSpec spec, CancellationToken ct)
    {
        TimeSpan waited = TimeSpan.Zero;
        bool challenged = false;
        for (int attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            string? authorization = CachedAuthorizationFor(spec);
            HttpResponseMessage response;
            try
            {
                response = await SendFollowingRedirectsAsync(spec, authorization, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new RegistryException(RegistryErrorKind.TimedOut, $"The registry {spec.Registry} did not answer {spec.What} within {HttpTimeouts.Describe(options.Timeouts.ResponseHeaders)}; not asked again. Check the registry and the network, or give more time with -RegistryTimeout.", ex);
            }
            catch (Exception ex) when (IsTransient(ex, ct))
            {
                TimeSpan? delay = NextDelay(attempt, null, ref waited);
                if (delay is null)
                {
                    throw new RegistryException(RegistryErrorKind.Unreachable, $"The registry {spec.Registry} could not be reached for {spec.What} after {attempt} attempt(s): {Describe(ex)}. Check the name, the network and any proxy.", ex);
                }

                options.Log?.Invoke($"{spec.Method} {spec.Uri.AbsolutePath}: {Describe(ex)}; retrying in {delay.Value.TotalSeconds:0.0} s (attempt {attempt + 1} of {options.MaxAttempts}).");
                await Task.Delay(delay.Value, ct).ConfigureAwait(false);
                continue;
            }

            HttpStatusCode status = response.StatusCode;
            if ((int)status is >= 200 and < 300)
            {
                return response;
            }

            if (status == HttpStatusCode.Unauthorized && !challenged)
            {
                string? header = response.Headers.NonValidated.TryGetValues("WWW-Authenticate", out HeaderStringValues values) ? values.FirstOrDefault() : null;
                response.Dispose();
                challenged = true;
                await AuthenticateAsync(spec, AuthChallenge.Parse(header), ct).ConfigureAwait(false);
                attempt--;
                continue;
            }

            if (status is HttpStatusCode.TooManyRequests || (int)status >= 500)
            {
                TimeSpan? retryAfter = RetryAfter(response);
                TimeSpan? delay = NextDelay(attempt, retryAfter, ref waited);
                response.Dispose();
                if (delay is null)
                {
                    throw status == HttpStatusCode.TooManyRequests
                        ? new RegistryException(RegistryErrorKind.RateLimited, $"The registry {spec.Registry} rate-limited {spec.What} (429) through {attempt} attempt(s); try again later or log in for a higher limit.") { StatusCode = 429 }
                        : new RegistryException(RegistryErrorKind.Unreachable, $"The registry {spec.Registry} failed {spec.What} with {(int)status} {status} through {attempt} attempt(s); try again later.") { StatusCode = (int)status };
                }

                options.Log?.Invoke($"{spec.Method} {spec.Uri.AbsolutePath}: {(int)status}; retrying in {delay.Value.TotalSeconds:0.0} s (attempt {attempt + 1} of {options.MaxAttempts}).");
                await Task.Delay(delay.Value, ct).ConfigureAwait(false);
                continue;
            }

            response.Dispose();
            throw status switch
            {
                HttpStatusCode.NotFound => new RegistryException(RegistryErrorKind.NotFound, $"The registry {spec.Registry} has no {spec.What.Replace("the ", string.Empty, StringComparison.Ordinal)} (404). Check the repository, tag or digest.") { StatusCode = 404 },
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => Unauthorized(spec, (int)status),
                _ => new RegistryException(RegistryErrorKind.InvalidResponse, $"The registry {spec.Registry} answered {(int)status} {status} for {spec.What}.") { StatusCode = (int)status },
            };
        }
    }

    private RegistryException Unauthorized(RequestSpec spec, int status)
    {
        RegistryCredential? credential = spec.Anonymous ? null : CredentialFor(spec.Registry);
        string message = credential is null
            ? $"The registry {spec.Registry} refused {spec.What} without credentials ({status}). Pass -Credential or log in with 'docker login {spec.Registry}'."
            : $"The registry {spec.Registry} refused the credentials{(credential.IdentityToken is null ? " of user '" + credential.UserName + "'" : string.Empty)} for {spec.What} ({status}). Check the user name, password and the repository's permissions.";
        return new RegistryException(RegistryErrorKind.Unauthorized, message) { StatusCode = status };
    }

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(RequestSpec spec, string? authorization, CancellationToken ct)
    {
        Uri uri = spec.Uri;
        for (int hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(spec.Method, uri);
            foreach (string accept in spec.Accept)
            {
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
            }

            // Credentials go only to the registry itself, never to the host a redirect names.
            if (authorization is not null && RegistryEndpoint.SameOrigin(uri, spec.Uri))
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.Timeouts.ResponseHeaders);
            HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            int code = (int)response.StatusCode;
            if (code is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is not null)
            {
                Uri next = new Uri(uri, response.Headers.Location);
                response.Dispose();
                if (next.Scheme is not ("http" or "https"))
                {
                    throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The registry {spec.Registry} redirected {spec.What} to an unsupported address.");
                }

                if (next.Scheme == "http" && uri.Scheme == "https" && !RegistryEndpoint.AllowsPlainHttp(next.Authority, options.InsecureRegistries))
                {
                    throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The registry {spec.Registry} redirected {spec.What} from HTTPS to plain HTTP ({next.Host}); refused.");
                }

                options.Log?.Invoke($"{spec.Method} {uri.AbsolutePath} redirected to {next.Scheme}://{next.Authority}{next.AbsolutePath}.");
                uri = next;
                continue;
            }

            return response;
        }

        throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The registry {spec.Registry} redirected {spec.What} more than {MaxRedirects} times.");
    }

    private async Task AuthenticateAsync(RequestSpec spec, AuthChallenge? challenge, CancellationToken ct)
    {
        RegistryCredential? credential = spec.Anonymous ? null : CredentialFor(spec.Registry);
        string key = CacheKey(spec);
        if (challenge is null)
        {
            throw Unauthorized(spec, 401);
        }

        if (challenge.IsBasic)
        {
            if (credential is null || credential.IdentityToken is not null)
            {
                throw Unauthorized(spec, 401);
            }

            string basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password));
            authorizations[key] = new CachedAuthorization(basic, DateTimeOffset.MaxValue);
            return;
        }

        if (!challenge.IsBearer || challenge["realm"] is not { Length: > 0 } realmText
            || !Uri.TryCreate(realmText, UriKind.Absolute, out Uri? realm) || realm.Scheme is not ("http" or "https"))
        {
            throw new RegistryException(RegistryErrorKind.Unauthorized, $"The registry {spec.Registry} asked for an authentication scheme this client does not speak ({challenge.Scheme}).") { StatusCode = 401 };
        }

        if (credential is not null && !CredentialTransport.Allows(realm, RegistryEndpoint.IsNamedInsecure(realm.Authority, options.InsecureRegistries)))
        {
            var refused = new UnencryptedCredentialException(realm, "the credentials for " + spec.Registry, "-InsecureRegistry " + realm.Authority);
            throw new RegistryException(RegistryErrorKind.UnencryptedCredential, $"The registry {spec.Registry} sends logins to a token service over plain HTTP ({realm.Host}). " + refused.Message, refused);
        }

        string? service = challenge["service"];
        string? scope = spec.Repository is not null ? $"repository:{spec.Repository}:pull" : challenge["scope"];
        HttpRequestMessage request;
        if (credential?.IdentityToken is not null)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new("grant_type", "refresh_token"),
                new("refresh_token", credential.IdentityToken),
                new("client_id", "renku-powershell"),
            };
            if (service is not null)
            {
                form.Add(new("service", service));
            }

            if (scope is not null)
            {
                form.Add(new("scope", scope));
            }

            request = new HttpRequestMessage(HttpMethod.Post, realm) { Content = new FormUrlEncodedContent(form) };
        }
        else
        {
            var query = new List<string>();
            if (service is not null)
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }

            if (scope is not null)
            {
                query.Add("scope=" + Uri.EscapeDataString(scope));
            }

            var builder = new UriBuilder(realm);
            string existing = builder.Query.TrimStart('?');
            builder.Query = string.Join("&", new[] { existing }.Where(q => q.Length > 0).Concat(query));
            request = new HttpRequestMessage(HttpMethod.Get, builder.Uri);
            if (credential is not null)
            {
                request.Headers.TryAddWithoutValidation("Authorization", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + credential.Password)));
            }
        }

        using (request)
        {
            HttpResponseMessage response;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(options.Timeouts.ResponseHeaders);
                response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!ct.IsCancellationRequested)
            {
                throw new RegistryException(RegistryErrorKind.TimedOut, $"The token service of {spec.Registry} ({realm.Host}) did not answer within {HttpTimeouts.Describe(options.Timeouts.ResponseHeaders)}.", ex);
            }
            catch (Exception ex) when (IsTransient(ex, ct))
            {
                throw new RegistryException(RegistryErrorKind.Unreachable, $"The token service of {spec.Registry} ({realm.Host}) could not be reached: {Describe(ex)}.", ex);
            }

            using (response)
            {
                int code = (int)response.StatusCode;
                if (code is 401 or 403)
                {
                    throw Unauthorized(spec, code);
                }

                if (code == 429)
                {
                    throw new RegistryException(RegistryErrorKind.RateLimited, $"The token service of {spec.Registry} rate-limited the login (429); try again later.") { StatusCode = 429 };
                }

                if (code is < 200 or >= 300)
                {
                    throw new RegistryException(code >= 500 ? RegistryErrorKind.Unreachable : RegistryErrorKind.InvalidResponse, $"The token service of {spec.Registry} answered {code} for {spec.What}.") { StatusCode = code };
                }

                byte[] body = await ReadTokenAnswerAsync(response, spec, ct).ConfigureAwait(false);
                (string token, TimeSpan lifetime) = ParseToken(body, spec.Registry);
                authorizations[key] = new CachedAuthorization("Bearer " + token, DateTimeOffset.UtcNow + lifetime - TokenSafetyMargin);
            }
        }
    }

    private static (string Token, TimeSpan Lifetime) ParseToken(byte[] body, string registry)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The token service of {registry} answered JSON that is not an object.");
            }

            string? token = null;
            if (root.TryGetProperty("token", out JsonElement t) && t.ValueKind == JsonValueKind.String)
            {
                token = JsonText.StringOrNull(t);
            }

            if (string.IsNullOrEmpty(token) && root.TryGetProperty("access_token", out JsonElement a) && a.ValueKind == JsonValueKind.String)
            {
                token = JsonText.StringOrNull(a);
            }

            if (string.IsNullOrEmpty(token))
            {
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The token service of {registry} answered without a token.");
            }

            int bad = TokenText.FirstInvalid(token);
            if (bad >= 0)
            {
                throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The token service of {registry} answered a token that contains {TokenText.Describe(token, bad)}, which no bearer token has; it was not used.");
            }

            // The spec's default lifetime is 60 seconds, and anything shorter is read as 60.
            int seconds = root.TryGetProperty("expires_in", out JsonElement e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int s) ? s : 60;
            return (token, TimeSpan.FromSeconds(Math.Max(60, seconds)));
        }
        catch (JsonException ex)
        {
            throw new RegistryException(RegistryErrorKind.InvalidResponse, $"The token service of {registry} answered something that is not JSON.", ex);
        }
    }

    private string? CachedAuthorizationFor(RequestSpec spec)
    {
        string key = CacheKey(spec);
        if (authorizations.TryGetValue(key, out CachedAuthorization? cached))
        {
            if (cached.Expires > DateTimeOffset.UtcNow)
            {
                return cached.Value;
            }

            authorizations.TryRemove(new KeyValuePair<string, CachedAuthorization>(key, cached));
        }

        return null;
    }

    private string CacheKey(RequestSpec spec) =>
        BaseUri(spec.Registry).Authority + "|" + (spec.Repository is null ? string.Empty : $"repository:{spec.Repository}:pull") + "|" + (spec.Anonymous ? "anonymous" : "user");

    internal RegistryCredential? CredentialFor(string registry)
    {
        if (options.Credential is not null
            && (options.CredentialRegistry is null || string.Equals(options.CredentialRegistry, registry, StringComparison.OrdinalIgnoreCase)))
        {
            return options.Credential;
        }

        return dockerConfig?.Find(registry);
    }

    /// <summary>True when anonymous requests are all this client will ever make to the registry.</summary>
    internal bool HasCredentialFor(string registry) => CredentialFor(registry) is not null;

    private TimeSpan? NextDelay(int attempt, TimeSpan? retryAfter, ref TimeSpan waited)
    {
        if (attempt >= options.MaxAttempts)
        {
            return null;
        }

        TimeSpan delay = retryAfter ?? TimeSpan.FromTicks(options.InitialBackoff.Ticks * (1L << Math.Min(attempt - 1, 10)));
        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        if (waited + delay > options.MaxRetryWait)
        {
            return null;
        }

        waited += delay;
        return delay;
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        RetryConditionHeaderValue? header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta)
        {
            return delta;
        }

        if (header?.Date is DateTimeOffset date)
        {
            return date - DateTimeOffset.UtcNow;
        }

        return null;
    }

    /// <summary>A response body held to the low-speed rule; a body that stalls or drips ends with <see cref="RegistryErrorKind.TimedOut"/>.</summary>
    private Stream Guard(Stream body, RequestSpec spec, string? what = null) =>
        new LowSpeedGuardStream(body, options.Timeouts, how => new RegistryException(RegistryErrorKind.TimedOut, $"The registry {spec.Registry} sent {what ?? spec.What} too slowly: {how}. Check the registry and the network, or give more time with -RegistryTimeout."));

    /// <summary>The token service's answer, bounded in size and time like every other body.</summary>
    private async Task<byte[]> ReadTokenAnswerAsync(HttpResponseMessage response, RequestSpec spec, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxTokenBytes)
        {
            throw new RegistryException(RegistryErrorKind.TooLarge, $"The token service of {spec.Registry} answered {response.Content.Headers.ContentLength} bytes; at most {MaxTokenBytes} are accepted.");
        }

        await using Stream stream = Guard(await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false), spec, "the token for " + spec.What);
        return await BoundedBody.ReadAsync(
            stream,
            MaxTokenBytes,
            () => new RegistryException(RegistryErrorKind.TooLarge, $"The token service of {spec.Registry} answered more than {MaxTokenBytes} bytes; refused."),
            null,
            ct).ConfigureAwait(false);
    }

    private static bool IsTransient(Exception ex, CancellationToken ct) =>
        !ct.IsCancellationRequested && ex is HttpRequestException or IOException or OperationCanceledException;

    private static string Describe(Exception ex) => ex switch
    {
        OperationCanceledException => "no answer in time",
        HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError } => "the TLS handshake failed (an untrusted certificate? -SkipCertificateCheck accepts any)",
        HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError } => "the host name does not resolve",
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError } => "the connection was refused or dropped",
        _ => ex.Message,
    };

    internal static SocketsHttpHandler CreateHandler(RegistryClientOptions options)
    {
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = options.Timeouts.Connect,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 16,
            UseCookies = false,
        };
        if (options.SkipCertificateCheck)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }

        return handler;
    }

    private sealed record CachedAuthorization(string Value, DateTimeOffset Expires);
}

/// <summary>One registry request: where, for which repository scope, and whether with credentials.</summary>
internal sealed record RequestSpec(string Registry, string? Repository, HttpMethod Method, Uri Uri, string[] Accept, bool Anonymous, string What);
