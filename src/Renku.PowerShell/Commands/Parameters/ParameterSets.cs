namespace Renku.PowerShell.Commands.Parameters;

/// <summary>
/// The names of the cmdlets' parameter sets. A cmdlet names its sets (and its default set) with
/// these constants only; a convention test refuses any other name.
/// </summary>
public static class ParameterSets
{
    /// <summary>Image references (Test-RenkuImageCompliance).</summary>
    public const string Image = "Image";

    /// <summary>An environment object (Test-RenkuImageCompliance).</summary>
    public const string Environment = "Environment";

    /// <summary>Paths with wildcards.</summary>
    public const string Path = "Path";

    /// <summary>Paths taken literally.</summary>
    public const string LiteralPath = "LiteralPath";

    /// <summary>Images, environments or files given or piped (the upgrade cmdlets).</summary>
    public const string Input = "Input";

    /// <summary>Image references read from their registries (Get-RenkuImage).</summary>
    public const string Registry = "Registry";

    /// <summary>A build from a Dockerfile on a Docker engine (Build-RenkuImage).</summary>
    public const string Dockerfile = "Dockerfile";

    /// <summary>A build with Renku's buildpacks (Build-RenkuImage).</summary>
    public const string Buildpacks = "Buildpacks";

    /// <summary>Renku objects chosen by name.</summary>
    public const string Name = "Name";

    /// <summary>Renku objects chosen by id.</summary>
    public const string Id = "Id";

    /// <summary>Renku objects piped or given as objects.</summary>
    public const string InputObject = "InputObject";

    /// <summary>Connecting with an access token (Connect-RenkuInstance).</summary>
    public const string AccessToken = "AccessToken";

    /// <summary>Connecting with the device-code sign-in (Connect-RenkuInstance).</summary>
    public const string DeviceCode = "DeviceCode";

    /// <summary>Connecting with a client's credentials (Connect-RenkuInstance).</summary>
    public const string ClientCredential = "ClientCredential";

    /// <summary>Reopening or switching to a connection object (Connect-RenkuInstance).</summary>
    public const string Connection = "Connection";
}
