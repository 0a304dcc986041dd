namespace Renku.PowerShell;

/// <summary>
/// Renku's own answer to "can a session pull this image?" (<c>GET /sessions/images?image_url=</c>).
/// The data service asks the registry itself, with the credentials of the user's registry
/// connection when the image's registry has one (then <see cref="ConnectionId"/> is set), else
/// anonymously.
/// </summary>
public sealed class PlatformImageCheck
{
    /// <summary>The image as it was asked about.</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary>Whether Renku can pull the image for this user.</summary>
    public bool Accessible { get; init; }

    /// <summary>The platforms Renku read from the image (<c>linux/amd64</c>), when it could read it.</summary>
    public IReadOnlyList<string> Platforms { get; init; } = Array.Empty<string>();

    /// <summary>The user's registry connection Renku would pull with, or null when it pulls anonymously.</summary>
    public string? ConnectionId { get; init; }

    /// <summary><c>connected</c>, <c>pending</c> or <c>invalid_credentials</c>.</summary>
    public string? ConnectionStatus { get; init; }

    /// <summary>The name of the connection's provider (a registry integration set up by an admin).</summary>
    public string? ProviderName { get; init; }

    public string? ProviderUrl { get; init; }

    /// <summary>True when Renku would pull with a registry connection rather than anonymously.</summary>
    public bool UsesConnection => ConnectionId is not null;

    public override string ToString() =>
        $"Renku's check: {(Accessible ? "accessible" : "not accessible")}" + (UsesConnection ? $" through the registry connection {ConnectionId} ({ProviderName ?? "unnamed provider"}, {ConnectionStatus})" : " without a registry connection");
}
