namespace Renku.PowerShell.Compliance;

/// <summary>Where a compliance check reads the image from.</summary>
public enum ComplianceImageSource
{
    /// <summary>No image: judge only the settings and the Dockerfile.</summary>
    None,

    /// <summary>From its registry, without a Docker engine.</summary>
    Registry,

    /// <summary>From a <c>docker save</c> or OCI archive.</summary>
    Archive,

    /// <summary>From a Docker engine that already holds it.</summary>
    Docker,
}
