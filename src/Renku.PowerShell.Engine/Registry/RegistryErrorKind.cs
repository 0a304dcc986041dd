namespace Renku.PowerShell.Registry;

/// <summary>What went wrong talking to a registry or reading an image; each maps to a stable error id.</summary>
public enum RegistryErrorKind
{
    /// <summary>The repository, tag, digest or blob does not exist.</summary>
    NotFound,
    /// <summary>The registry refused the credentials (or wants some).</summary>
    Unauthorized,
    /// <summary>The registry could not be reached, or kept failing after the retries.</summary>
    Unreachable,
    /// <summary>The registry kept answering 429 beyond the retry budget.</summary>
    RateLimited,
    /// <summary>Content did not hash to the digest it was asked for or announced with.</summary>
    DigestMismatch,
    /// <summary>A manifest, config or layer read went over its size bound or byte budget.</summary>
    TooLarge,
    /// <summary>The image has no entry for the requested platform.</summary>
    PlatformNotFound,
    /// <summary>The registry answered something that breaks the distribution spec.</summary>
    InvalidResponse,
    /// <summary>A local archive or OCI layout is not readable as an image.</summary>
    InvalidArchive,
    /// <summary>The media type of a manifest is not one this client reads.</summary>
    UnsupportedMediaType,
    /// <summary>The registry did not answer, or sent too slowly, within the client's time bounds.</summary>
    TimedOut,
    /// <summary>Credentials would have gone over plain HTTP to a host that is not loopback and not named insecure; nothing was sent.</summary>
    UnencryptedCredential,
}
