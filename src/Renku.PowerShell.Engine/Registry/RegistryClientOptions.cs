using Renku.PowerShell.Http;

namespace Renku.PowerShell.Registry;

/// <summary>How the registry client connects, authenticates and bounds its work.</summary>
public sealed class RegistryClientOptions
{
    /// <summary>Explicit credentials; they take precedence over the Docker config.</summary>
    public RegistryCredential? Credential { get; init; }

    /// <summary>
    /// When set, <see cref="Credential"/> is only sent to this registry (<c>host[:port]</c>);
    /// other registries get the Docker config or nothing.
    /// </summary>
    public string? CredentialRegistry { get; init; }

    /// <summary>Read credentials from the user's Docker config (<c>$DOCKER_CONFIG</c> or <c>~/.docker/config.json</c>).</summary>
    public bool UseDockerConfig { get; init; } = true;

    /// <summary>The Docker config file to read instead of the default one.</summary>
    public string? DockerConfigPath { get; init; }

    /// <summary>Accept any TLS certificate (opt-in, for self-signed test registries).</summary>
    public bool SkipCertificateCheck { get; init; }

    /// <summary>Registries (<c>host</c> or <c>host:port</c>) reached over plain HTTP; loopback always is.</summary>
    public IReadOnlyCollection<string> InsecureRegistries { get; init; } = Array.Empty<string>();

    /// <summary>Attempts per request when the registry answers 429 or 5xx or the connection drops.</summary>
    public int MaxAttempts { get; init; } = 4;

    /// <summary>The most time spent waiting between attempts of one request.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The first backoff delay; doubled per attempt unless Retry-After says otherwise.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Manifests larger than this are refused (4 MiB).</summary>
    public long MaxManifestBytes { get; init; } = 4L * 1024 * 1024;

    /// <summary>Config blobs larger than this are refused (8 MiB).</summary>
    public long MaxConfigBytes { get; init; } = 8L * 1024 * 1024;

    /// <summary>The most compressed layer bytes one inspection may download (2 GiB).</summary>
    public long LayerByteBudget { get; init; } = 2L * 1024 * 1024 * 1024;

    /// <summary>
    /// How long a registry may take: per request (connect, headers, the body's low-speed rule) and
    /// per operation (one image read, one repository's tags, one digest), retries included. A
    /// request that runs out of time is not retried: a registry that did not answer in time is
    /// not helped by being asked again, and a CI job should not wait four times over.
    /// </summary>
    public HttpTimeouts Timeouts { get; init; } = HttpTimeouts.Default;

    /// <summary>Receives diagnostic lines (no secrets ever); called from worker threads.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>Replaces the HTTP handler (tests). The client owns and disposes it.</summary>
    internal HttpMessageHandler? Handler { get; init; }
}
