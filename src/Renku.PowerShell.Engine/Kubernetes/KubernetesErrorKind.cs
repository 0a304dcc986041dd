namespace Renku.PowerShell.Kubernetes;

/// <summary>Why a conversation with a Kubernetes API server failed.</summary>
public enum KubernetesErrorKind
{
    /// <summary>No kubeconfig was found and the process does not run inside a cluster.</summary>
    NotConfigured,

    /// <summary>The kubeconfig could not be read or names a context, cluster or user it lacks.</summary>
    ConfigurationInvalid,

    /// <summary>The API server could not be reached (refused, DNS, TLS, timeout).</summary>
    Unreachable,

    /// <summary>401: the credentials were refused.</summary>
    Unauthorized,

    /// <summary>403: the credentials lack the permission (RBAC).</summary>
    Forbidden,

    /// <summary>404: the object or the resource type does not exist.</summary>
    NotFound,

    /// <summary>409: the object already exists or was changed meanwhile.</summary>
    Conflict,

    /// <summary>410: a list continuation or watch position expired.</summary>
    Expired,

    /// <summary>422: the server refused the object as invalid.</summary>
    Invalid,

    /// <summary>Any other failure answer of the server.</summary>
    ServerError,
}
