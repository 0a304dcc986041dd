namespace Renku.PowerShell.TestSupport.Images;

/// <summary>How a test layer is stored in the registry.</summary>
public enum LayerCompression
{
    Gzip,
    Zstd,
    None,
}
