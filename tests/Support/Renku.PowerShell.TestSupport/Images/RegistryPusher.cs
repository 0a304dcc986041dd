using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Renku.PowerShell.TestSupport.Images;

/// <summary>
/// Pushes test images to a registry with the distribution API (monolithic blob uploads, manifest
/// PUTs), answering Basic and Bearer challenges with the given user and password.
/// </summary>
public sealed class RegistryPusher : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromMinutes(5) };
    private readonly Uri baseUri;
    private readonly string? user;
    private readonly string? password;
    private readonly Dictionary<string, string> authorizations = new();

    public RegistryPusher(Uri baseUri, string? user = null, string? password = null)
    {
        this.baseUri = baseUri;
        this.user = user;
        this.password = password;
    }

    public void Dispose() => http.Dispose();

    /// <summary>Pushes an image's blobs and its manifest under <paramref name="tag"/>.</summary>
    public void Push(string repository, string tag, TestImage image)
    {
        foreach (OciBlob blob in image.Blobs)
        {
            PushBlob(repository, blob);
        }

        PushManifest(repository, tag, image.Manifest);
    }

    /// <summary>Pushes every image (by digest) and the index under <paramref name="tag"/>.</summary>
    public void PushIndex(string repository, string tag, IReadOnlyList<TestImage> images, (OciBlob Index, IReadOnlyList<OciBlob> ExtraManifests, IReadOnlyList<OciBlob> ExtraBlobs) index)
    {
        foreach (TestImage image in images)
        {
            Push(repository, image.Manifest.Digest, image);
        }

        foreach (OciBlob blob in index.ExtraBlobs)
        {
            PushBlob(repository, blob);
        }

        foreach (OciBlob manifest in index.ExtraManifests)
        {
            PushManifest(repository, manifest.Digest, manifest);
        }

        PushManifest(repository, tag, index.Index);
    }

    public void PushBlob(string repository, OciBlob blob)
    {
        using HttpResponseMessage start = Send(repository, () => new HttpRequestMessage(HttpMethod.Post, new Uri(baseUri, $"v2/{repository}/blobs/uploads/")));
        Ensure(start, HttpStatusCode.Accepted, "start upload");
        Uri location = new(baseUri, start.Headers.Location!);
        string separator = location.Query.Length > 0 ? "&" : "?";
        Uri put = new(location + separator + "digest=" + Uri.EscapeDataString(blob.Digest));
        using HttpResponseMessage done = Send(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, put) { Content = new ByteArrayContent(blob.Content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            return request;
        });
        Ensure(done, HttpStatusCode.Created, "upload " + blob.Digest);
    }

    public void PushManifest(string repository, string reference, OciBlob manifest)
    {
        using HttpResponseMessage response = Send(repository, () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Put, new Uri(baseUri, $"v2/{repository}/manifests/{reference}")) { Content = new ByteArrayContent(manifest.Content) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
            return request;
        });
        Ensure(response, HttpStatusCode.Created, "put manifest " + reference);
    }

    private HttpResponseMessage Send(string repository, Func<HttpRequestMessage> create)
    {
        for (int attempt = 0; attempt < 2; attempt++)
        {
            HttpRequestMessage request = create();
            if (authorizations.TryGetValue(repository, out string? auth))
            {
                request.Headers.TryAddWithoutValidation("Authorization", auth);
            }

            HttpResponseMessage response = http.Send(request);
            if (response.StatusCode != HttpStatusCode.Unauthorized || attempt == 1)
            {
                return response;
            }

            string challenge = response.Headers.WwwAuthenticate.FirstOrDefault()?.ToString() ?? string.Empty;
            response.Dispose();
            authorizations[repository] = Authorize(challenge, repository);
        }

        throw new InvalidOperationException("unreachable");
    }

    private string Authorize(string challenge, string repository)
    {
        string basic = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        if (challenge.StartsWith("Basic", StringComparison.OrdinalIgnoreCase))
        {
            return "Basic " + basic;
        }

        string Param(string name)
        {
            int at = challenge.IndexOf(name + "=\"", StringComparison.Ordinal);
            if (at < 0)
            {
                return string.Empty;
            }

            int start = at + name.Length + 2;
            return challenge.Substring(start, challenge.IndexOf('"', start) - start);
        }

        var tokenRequest = new HttpRequestMessage(HttpMethod.Get, $"{Param("realm")}?service={Uri.EscapeDataString(Param("service"))}&scope={Uri.EscapeDataString($"repository:{repository}:pull,push")}");
        if (user is not null)
        {
            tokenRequest.Headers.Authorization = new AuthenticationHeaderValue("Basic", basic);
        }

        using HttpResponseMessage tokenResponse = http.Send(tokenRequest);
        Ensure(tokenResponse, HttpStatusCode.OK, "get a push token");
        using JsonDocument token = JsonDocument.Parse(tokenResponse.Content.ReadAsStream());
        return "Bearer " + token.RootElement.GetProperty("token").GetString();
    }

    private static void Ensure(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        if (response.StatusCode != expected)
        {
            string body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
            throw new InvalidOperationException($"Registry push step '{what}' answered {(int)response.StatusCode}: {body}");
        }
    }
}
