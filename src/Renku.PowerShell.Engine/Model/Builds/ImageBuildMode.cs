namespace Renku.PowerShell;

/// <summary>How an image is built.</summary>
public enum ImageBuildMode
{
    /// <summary>A Dockerfile, built by a Docker engine.</summary>
    Dockerfile,

    /// <summary>Renku's Cloud Native Buildpacks, driven through the <c>pack</c> CLI.</summary>
    Buildpacks,
}
