using Renku.PowerShell.Http;

namespace Renku.PowerShell.Registry;

/// <summary>Where a registry's API lives: scheme, host and port.</summary>
internal static class RegistryEndpoint
{
    /// <summary>The base URI (<c>https://host/</c>) of the registry API for a reference's registry.</summary>
    internal static Uri BaseUri(string registry, IReadOnlyCollection<string> insecureRegistries)
    {
        string host = registry == ImageReference.DockerHubRegistry ? ImageReference.DockerHubApiHost : registry;
        string scheme = AllowsPlainHttp(host, insecureRegistries) ? "http" : "https";
        return new Uri(scheme + "://" + host + "/");
    }

    /// <summary>Plain HTTP, as Docker allows it: loopback registries and the ones named insecure.</summary>
    internal static bool AllowsPlainHttp(string registry, IReadOnlyCollection<string> insecureRegistries) =>
        CredentialTransport.IsLoopback(HostOnly(registry)) || IsNamedInsecure(registry, insecureRegistries);

    /// <summary>True when the user named the registry (<c>host:port</c>, or its host for any port) with -InsecureRegistry.</summary>
    internal static bool IsNamedInsecure(string registry, IReadOnlyCollection<string> insecureRegistries)
    {
        string host = HostOnly(registry);
        foreach (string entry in insecureRegistries)
        {
            string trimmed = entry.Trim();
            if (string.Equals(trimmed, registry, StringComparison.OrdinalIgnoreCase)
                || (!trimmed.Contains(':') && string.Equals(trimmed, host, StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when two URIs name the same scheme, host and port.</summary>
    internal static bool SameOrigin(Uri a, Uri b) =>
        string.Equals(a.Scheme, b.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase)
        && a.Port == b.Port;

    private static string HostOnly(string registry)
    {
        if (registry.StartsWith('['))
        {
            int end = registry.IndexOf(']');
            return end > 0 ? registry.Substring(0, end + 1) : registry;
        }

        int colon = registry.LastIndexOf(':');
        return colon >= 0 ? registry.Substring(0, colon) : registry;
    }
}
