namespace Renku.PowerShell.Builds;

/// <summary>Why a build or push did not succeed; the cmdlet turns each into a stable error id.</summary>
public enum ImageBuildFailure
{
    /// <summary>The Docker engine could not be reached or is too old.</summary>
    EngineUnavailable,

    /// <summary>The context directory, Dockerfile or a build input is wrong.</summary>
    InvalidInput,

    /// <summary>A <c>.dockerignore</c> line the docker CLI refuses (a malformed pattern, a lone <c>!</c>); nothing was sent.</summary>
    InvalidDockerignore,

    /// <summary>A file or folder of the build context cannot be read, or was removed while the context was sent.</summary>
    ContextUnreadable,

    /// <summary>The engine reported an error while building (a failing step).</summary>
    BuildFailed,

    /// <summary>The engine or the registry refused a push.</summary>
    PushFailed,

    /// <summary>The <c>pack</c> CLI was not found.</summary>
    PackNotFound,

    /// <summary><c>pack build</c> exited with an error.</summary>
    PackFailed,

    /// <summary>Git information was asked for but the context is not a git checkout (or git is missing).</summary>
    GitUnavailable,
}
