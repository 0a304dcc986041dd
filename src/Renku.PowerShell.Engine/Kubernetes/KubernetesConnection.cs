using System.Net;
using System.Net.Http;
using System.Text.Json;

using k8s;
using k8s.Autorest;

namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// A client for one target, with its namespace resolved, and the translation of every failure
/// into a <see cref="KubernetesException"/>.
/// </summary>
internal sealed class KubernetesConnection : IDisposable
{
    private KubernetesConnection(k8s.Kubernetes client, string @namespace, string server)
    {
        Client = client;
        Namespace = @namespace;
        Server = server;
    }

    internal k8s.Kubernetes Client { get; }

    internal string Namespace { get; }

    /// <summary>The API server's address, for messages.</summary>
    internal string Server { get; }

    internal static KubernetesConnection Open(KubernetesTarget target) => Open(target, KubeconfigResolver.ForProcess());

    internal static KubernetesConnection Open(KubernetesTarget target, KubeconfigResolver resolver)
    {
        KubernetesClientConfiguration configuration = resolver.Resolve(target);
        string @namespace = !string.IsNullOrEmpty(target.Namespace) ? target.Namespace
            : !string.IsNullOrEmpty(configuration.Namespace) ? configuration.Namespace
            : "default";
        try
        {
            return new KubernetesConnection(new k8s.Kubernetes(configuration), @namespace, configuration.Host ?? "(unknown)");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new KubernetesException(KubernetesErrorKind.ConfigurationInvalid, $"A client for {configuration.Host} could not be made from {resolver.Describe(target)}: {ex.GetType().Name}. Check the server address and the certificate settings in the kubeconfig.", ex);
        }
    }

    /// <summary>Runs one API call and turns its failure into a classified exception.</summary>
    internal async Task<T> CallAsync<T>(string what, Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, what, cancellationToken) is { } translated)
        {
            throw translated;
        }
    }

    internal KubernetesException? Translate(Exception ex, string what, CancellationToken cancellationToken)
    {
        switch (ex)
        {
            case KubernetesException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case HttpOperationException http:
                return FromStatus(http, what);
            case HttpRequestException request:
                return new KubernetesException(KubernetesErrorKind.Unreachable, $"The Kubernetes API server {Server} could not be reached to {what}: {request.Message} Check that the cluster is up and the kubeconfig's server address is right.", ex);
            case OperationCanceledException:
                return new KubernetesException(KubernetesErrorKind.Unreachable, $"The Kubernetes API server {Server} did not answer in time to {what}.", ex);
            case Exception when IsAnswerReadingError(ex):
                return InvalidAnswer(Server, what, ex);
            case System.Security.Authentication.AuthenticationException:
                return new KubernetesException(KubernetesErrorKind.Unreachable, $"The TLS connection to {Server} failed to {what}; check the certificate authority in the kubeconfig.", ex);
            default:
                return null;
        }
    }

    /// <summary>An answer that is not the JSON the API describes (a proxy's page, a truncated or mistyped body).</summary>
    /// <summary>The client's reading of an answer failed: JSON of another shape, a date or quantity that does not parse.</summary>
    internal static bool IsAnswerReadingError(Exception ex) => ex is System.Text.Json.JsonException or FormatException;

    internal static KubernetesException InvalidAnswer(string server, string what, Exception ex) =>
        new(KubernetesErrorKind.ServerError, $"The Kubernetes API server {server} answered the request to {what} with a body that is not the JSON the API describes{(ex is System.Text.Json.JsonException { Path: { Length: > 0 } path } ? $" (at {path})" : string.Empty)}.", ex);

    private KubernetesException FromStatus(HttpOperationException http, string what)
    {
        int status = (int)(http.Response?.StatusCode ?? 0);
        (string? reason, string? message) = ReadStatus(http.Response?.Content);
        string detail = string.IsNullOrWhiteSpace(message) ? $"HTTP {status}" : message!;
        (KubernetesErrorKind kind, string advice) = status switch
        {
            401 => (KubernetesErrorKind.Unauthorized, "The credentials of the kubeconfig user were refused; log in again or renew the token."),
            403 => (KubernetesErrorKind.Forbidden, "Ask a cluster administrator for the RBAC permission, or use a context that has it."),
            404 => (KubernetesErrorKind.NotFound, "Check the namespace and that the resource exists in this cluster."),
            409 => (KubernetesErrorKind.Conflict, "The object exists already or changed meanwhile; try again."),
            410 => (KubernetesErrorKind.Expired, "The listing took too long and the server forgot its position; try again."),
            422 => (KubernetesErrorKind.Invalid, "The server refused the object; see the message for the field."),
            _ => (KubernetesErrorKind.ServerError, "Try again later, or check the API server's health."),
        };
        return new KubernetesException(kind, $"Kubernetes refused to {what} ({status} {reason}): {detail}. {advice}", http)
        {
            StatusCode = status,
            Reason = reason,
        };
    }

    private static (string? Reason, string? Message) ReadStatus(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            string? reason = root.TryGetProperty("reason", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString() : null;
            string? message = root.TryGetProperty("message", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            return (reason, message);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return (null, null);
        }
    }

    public void Dispose() => Client.Dispose();
}
