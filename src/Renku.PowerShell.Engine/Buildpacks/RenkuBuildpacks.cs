namespace Renku.PowerShell.Buildpacks;

/// <summary>
/// Renku's buildpack builder and run image, and what an image they build looks like
/// (../shared/renku/PLATFORM.md §4).
/// </summary>
public static class RenkuBuildpacks
{
    /// <summary>
    /// The renku-frontend-buildpacks release the defaults point at: the one Renku's own in-platform
    /// builds use from Renku 2.19.2 (selector and run image 0.9.1).
    /// </summary>
    public const string Version = "0.9.1";

    /// <summary>The release renkulab.io's global images are built with (amd64; arm64 uses the cuda variants).</summary>
    public const string GlobalImagesVersion = "0.6.0";

    public const string DefaultBuilder = "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/selector:" + Version;

    public const string DefaultRunImage = "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/run-image:" + Version;

    /// <summary>The build environment variable that picks the session frontend.</summary>
    public const string FrontendVariable = "BP_RENKU_FRONTENDS";

    /// <summary>The frontend the selector builder installs when none is named.</summary>
    public const string DefaultFrontend = "vscodium";

    /// <summary>The frontends the builder knows.</summary>
    public static readonly IReadOnlyList<string> Frontends = new[] { "jupyterlab", "vscodium", "ttyd", "rstudio" };

    /// <summary>The WORKDIR of a built image: the app directory the lifecycle's exporter sets (not the run image's /home/renku).</summary>
    public const string BuiltWorkingDirectory = "/workspace";

    /// <summary>Where a built image's ENTRYPOINT starts a process type (the frontend's name): the CNB launcher.</summary>
    public const string LauncherPrefix = "/cnb/process/";

    /// <summary>
    /// The session variables the <c>renku-variables</c> buildpack bakes into a built image; Renku sets
    /// its own values for all of them when it starts a session.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> BakedSessionVariables = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["RENKU_SESSION_PORT"] = "8000",
        ["RENKU_SESSION_IP"] = "0.0.0.0",
        ["RENKU_MOUNT_DIR"] = BuiltWorkingDirectory,
        ["RENKU_WORKING_DIR"] = BuiltWorkingDirectory,
        ["RENKU_BASE_URL_PATH"] = "/",
    };

    /// <summary>True for an image built by Renku's buildpacks: its ENTRYPOINT is the CNB launcher, or it carries the lifecycle's metadata label.</summary>
    public static bool IsBuilt(ImageConfiguration config) =>
        (config.Entrypoint is { Count: > 0 } entrypoint && entrypoint[0].StartsWith(LauncherPrefix, StringComparison.Ordinal))
        || config.Labels.ContainsKey("io.buildpacks.lifecycle.metadata");
}
