namespace Renku.PowerShell;

/// <summary>Where an audited image reference was found.</summary>
public enum UpgradeSourceKind
{
    /// <summary>Given directly as a string or reference object.</summary>
    Image,

    /// <summary>A Renku environment's container image.</summary>
    Environment,

    /// <summary>A FROM line (or the ARG default it uses) of a Dockerfile.</summary>
    Dockerfile,

    /// <summary>An entry's <c>container_image</c> in an environments file (YAML or JSON).</summary>
    EnvironmentFile,
}
