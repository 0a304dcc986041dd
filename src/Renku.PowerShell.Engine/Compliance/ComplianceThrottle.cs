namespace Renku.PowerShell.Compliance;

/// <summary>How many images are checked at once when the caller does not say.</summary>
public static class ComplianceThrottle
{
    /// <summary>
    /// Checks from registries, archives or a Docker engine: they mostly wait on the network, and
    /// one inspector's connections, tokens and layers are shared between them.
    /// </summary>
    public const int Static = 32;

    /// <summary>Checks that start a session: each starts a container or a pod.</summary>
    public const int Session = 4;
}
