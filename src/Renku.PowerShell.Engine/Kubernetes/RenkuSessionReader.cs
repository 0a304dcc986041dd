using System.Text.Json;

using k8s;
using k8s.Models;


namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// Reads Renku sessions from a cluster: one paginated list of AmaltheaSessions and one of pods,
/// joined locally, so the cost does not grow with one request per session.
/// </summary>
public static class RenkuSessionReader
{
    /// <summary>Items per list page.</summary>
    internal const int DefaultPageSize = 250;

    /// <summary>A bound on pages, so a server that keeps answering "continue" cannot loop forever.</summary>
    private const int MaxPages = 10_000;

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = false };

    /// <summary>Lists the sessions of the target's namespace that match <paramref name="query"/>.</summary>
    /// <exception cref="KubernetesException">The cluster could not be reached, refused, or has no AmaltheaSession type.</exception>
    public static Task<IReadOnlyList<RenkuSession>> GetAsync(KubernetesTarget target, RenkuSessionQuery query, CancellationToken cancellationToken) =>
        GetAsync(target, query, DefaultPageSize, cancellationToken);

    internal static async Task<IReadOnlyList<RenkuSession>> GetAsync(KubernetesTarget target, RenkuSessionQuery query, int pageSize, CancellationToken cancellationToken)
    {
        using KubernetesConnection connection = KubernetesConnection.Open(target);
        string ns = connection.Namespace;
        List<AmaltheaSessionResource> resources = await ListSessionsAsync(connection, pageSize, cancellationToken).ConfigureAwait(false);
        if (resources.Count == 0)
        {
            return Array.Empty<RenkuSession>();
        }

        Dictionary<string, V1Pod> pods = await ListPodsAsync(connection, pageSize, cancellationToken).ConfigureAwait(false);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        var result = new List<RenkuSession>(resources.Count);
        foreach (AmaltheaSessionResource resource in resources.OrderBy(r => r.Metadata.Name, StringComparer.Ordinal))
        {
            pods.TryGetValue((resource.Metadata.Name ?? string.Empty) + "-0", out V1Pod? pod);
            RenkuSession? selected = SessionJoiner.Select(SessionJoiner.Join(resource, pod, now, ns), query);
            if (selected is not null)
            {
                result.Add(selected);
            }
        }

        return result;
    }

    private static async Task<List<AmaltheaSessionResource>> ListSessionsAsync(KubernetesConnection connection, int pageSize, CancellationToken cancellationToken)
    {
        string what = $"list {AmaltheaSessionResource.Plural}.{AmaltheaSessionResource.Group} in namespace '{connection.Namespace}'";
        try
        {
            return await PaginateAsync<AmaltheaSessionResource>(
                async continueToken =>
                {
                    JsonElement page = await connection.CallAsync(what, () => connection.Client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                        AmaltheaSessionResource.Group, AmaltheaSessionResource.Version, connection.Namespace, AmaltheaSessionResource.Plural,
                        continueParameter: continueToken, limit: pageSize, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                    AmaltheaSessionList list = ReadSessionPage(page, connection.Server, what);
                    return ((IReadOnlyCollection<AmaltheaSessionResource>)(list.Items ?? new List<AmaltheaSessionResource>()), list.Metadata?.Continue);
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesException ex) when (ex.Kind == KubernetesErrorKind.NotFound)
        {
            throw new KubernetesException(KubernetesErrorKind.NotFound, $"The cluster at {connection.Server} has no {AmaltheaSessionResource.Plural}.{AmaltheaSessionResource.Group}/{AmaltheaSessionResource.Version} resource type: Renku (amalthea) is not installed there, or this is the wrong context.", ex)
            {
                StatusCode = ex.StatusCode,
                Reason = ex.Reason,
            };
        }
    }

    private static async Task<Dictionary<string, V1Pod>> ListPodsAsync(KubernetesConnection connection, int pageSize, CancellationToken cancellationToken)
    {
        string what = $"list pods in namespace '{connection.Namespace}'";
        List<V1Pod> pods = await PaginateAsync(
            async continueToken =>
            {
                V1PodList page = await connection.CallAsync(what, () => connection.Client.CoreV1.ListNamespacedPodAsync(
                    connection.Namespace, continueParameter: continueToken, limit: pageSize, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
                return ((IReadOnlyCollection<V1Pod>)(page.Items ?? new List<V1Pod>()), page.Metadata?.ContinueProperty);
            },
            cancellationToken).ConfigureAwait(false);
        var byName = new Dictionary<string, V1Pod>(StringComparer.Ordinal);
        foreach (V1Pod pod in pods)
        {
            if (pod.Metadata?.Name is { } name)
            {
                byName[name] = pod;
            }
        }

        return byName;
    }

    /// <summary>One page of the session list; an answer of another shape is the server's error, not a crash.</summary>
    internal static AmaltheaSessionList ReadSessionPage(JsonElement page, string server, string what)
    {
        try
        {
            return page.Deserialize<AmaltheaSessionList>(JsonOptions) ?? new AmaltheaSessionList();
        }
        catch (JsonException ex)
        {
            throw KubernetesConnection.InvalidAnswer(server, what, ex);
        }
    }

    /// <summary>
    /// Follows <c>continue</c> tokens. When the server forgets a token (410 Expired) the listing
    /// starts over once, as the API conventions recommend; a second expiry is reported.
    /// </summary>
    internal static async Task<List<T>> PaginateAsync<T>(Func<string?, Task<(IReadOnlyCollection<T> Items, string? Continue)>> fetch, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            var all = new List<T>();
            string? token = null;
            try
            {
                for (int page = 0; page < MaxPages; page++)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    (IReadOnlyCollection<T> items, string? next) = await fetch(token).ConfigureAwait(false);
                    all.AddRange(items);
                    if (string.IsNullOrEmpty(next))
                    {
                        return all;
                    }

                    token = next;
                }

                throw new KubernetesException(KubernetesErrorKind.ServerError, $"The server kept answering with more pages after {MaxPages} pages; stopping.");
            }
            catch (KubernetesException ex) when (ex.Kind == KubernetesErrorKind.Expired && token is not null && attempt == 0)
            {
                // Start over from the first page.
            }
        }
    }
}
