namespace Renku.PowerShell.Upgrades;

/// <summary>
/// A file given to an upgrade audit that names no image to audit: a Dockerfile without a FROM, or
/// a file that is neither a Dockerfile nor an environments file. Never an empty result: a scheduled
/// audit of the wrong file must fail, not report that all is well.
/// </summary>
public sealed class UpgradeFileException : FormatException
{
    public UpgradeFileException(string path, bool isDockerfile, string message)
        : base(message)
    {
        Path = path;
        IsDockerfile = isDockerfile;
    }

    public string Path { get; }

    /// <summary>True when the file reads as a Dockerfile (it just has no FROM); false when it is not one at all.</summary>
    public bool IsDockerfile { get; }
}
