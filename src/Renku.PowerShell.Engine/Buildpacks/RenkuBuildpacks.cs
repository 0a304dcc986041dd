namespace Renku.PowerShell.Buildpacks;

/// <summary>Renku's buildpack builder and run image, pinned to the release the module was checked against.</summary>
public static class RenkuBuildpacks
{
    /// <summary>The renku-frontend-buildpacks release the defaults point at.</summary>
    public const string Version = "0.8.0";

    public const string DefaultBuilder = "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/selector:" + Version;

    public const string DefaultRunImage = "ghcr.io/swissdatasciencecenter/renku-frontend-buildpacks/run-image:" + Version;

    /// <summary>The build environment variable that picks the session frontend.</summary>
    public const string FrontendVariable = "BP_RENKU_FRONTENDS";

    /// <summary>The frontends the builder knows.</summary>
    public static readonly IReadOnlyList<string> Frontends = new[] { "jupyterlab", "vscodium", "ttyd", "rstudio" };
}
