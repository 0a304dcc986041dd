namespace Renku.PowerShell;

/// <summary>Where an image's facts were read from.</summary>
public enum ImageSourceKind
{
    Registry,
    Archive,
    Docker,
}
