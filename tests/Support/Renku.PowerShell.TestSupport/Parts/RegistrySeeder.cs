using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

namespace Renku.PowerShell.TestSupport.Parts;

/// <summary>
/// Fills a test registry with repositories holding many tags, fast: one tiny image (a config
/// blob and a manifest without layers) per repository, tagged many times with manifest PUTs.
/// Each tag can get its own manifest (a distinct digest) by varying an annotation.
/// </summary>
public sealed class RegistrySeeder : IDisposable
{
    private const string ManifestType = "application/vnd.oci.image.manifest.v1+json";
    private readonly HttpClient http;
    private readonly Uri baseUri;

    public RegistrySeeder(RegistryServer registry)
    {
        baseUri = registry.BaseUri;
        http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (registry.User is not null)
        {
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(registry.User + ":" + registry.Password)));
        }
    }

    public void Dispose() => http.Dispose();

    /// <summary>Pushes <paramref name="tags"/> to <paramref name="repository"/>; returns tag -> manifest digest.</summary>
    public async Task<IReadOnlyDictionary<string, string>> PushTagsAsync(string repository, IEnumerable<string> tags, bool distinctDigests = false, int parallelism = 8, string? revision = null)
    {
        byte[] config = Encoding.UTF8.GetBytes("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"config\":{\"User\":\"1000\"}}");
        string configDigest = await PushBlobAsync(repository, config).ConfigureAwait(false);
        var digests = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(parallelism);
        var pushes = tags.Select(async tag =>
        {
            await gate.WaitAsync().ConfigureAwait(false);
            try
            {
                string note = distinctDigests ? tag : "shared";
                if (revision is not null)
                {
                    note += "/" + revision;
                }

                string manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + ManifestType + "\",\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\"" + configDigest + "\",\"size\":" + config.Length + "},\"layers\":[],\"annotations\":{\"org.example.note\":\"" + note + "\"}}";
                byte[] body = Encoding.UTF8.GetBytes(manifest);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new MediaTypeHeaderValue(ManifestType);
                using HttpResponseMessage response = await http.PutAsync(new Uri(baseUri, $"v2/{repository}/manifests/{tag}"), content).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                digests[tag] = Digest(body);
            }
            finally
            {
                gate.Release();
            }
        });
        await Task.WhenAll(pushes).ConfigureAwait(false);
        return digests;
    }

    private async Task<string> PushBlobAsync(string repository, byte[] bytes)
    {
        string digest = Digest(bytes);
        using HttpResponseMessage start = await http.PostAsync(new Uri(baseUri, $"v2/{repository}/blobs/uploads/"), null).ConfigureAwait(false);
        start.EnsureSuccessStatusCode();
        Uri location = start.Headers.Location!.IsAbsoluteUri ? start.Headers.Location : new Uri(baseUri, start.Headers.Location);
        string separator = location.Query.Length > 0 ? "&" : "?";
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using HttpResponseMessage put = await http.PutAsync(new Uri(location + separator + "digest=" + Uri.EscapeDataString(digest)), content).ConfigureAwait(false);
        put.EnsureSuccessStatusCode();
        return digest;
    }

    private static string Digest(byte[] bytes) => "sha256:" + Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();
}
