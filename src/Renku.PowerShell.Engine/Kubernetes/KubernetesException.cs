namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// A failure talking to Kubernetes, classified so that callers can map it to a stable error id.
/// Messages name the server, the resource and what to do; they never carry credentials.
/// </summary>
public sealed class KubernetesException : Exception
{
    public KubernetesException(KubernetesErrorKind kind, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
    }

    public KubernetesErrorKind Kind { get; }

    /// <summary>The HTTP status of the answer, when there was one.</summary>
    public int? StatusCode { get; init; }

    /// <summary>The <c>reason</c> of the server's Status object (NotFound, AlreadyExists, Expired, ...).</summary>
    public string? Reason { get; init; }
}
