using Renku.PowerShell.Dockerfiles;
namespace Renku.PowerShell.Compliance;

/// <summary>Everything the rules look at for one image and environment.</summary>
internal sealed class ComplianceContext
{
    internal ComplianceContext(ComplianceRequest request)
    {
        Request = request;
        Layout = request.Settings.ResolveLayout(request.Image?.Config.WorkingDir);
    }

    internal ComplianceRequest Request { get; }

    internal ImageInfo? Image => Request.Image;

    internal ImageReference? Reference => Request.Reference ?? Request.Image?.Reference;

    internal SessionSettings Settings => Request.Settings;

    internal SessionLayout Layout { get; }

    internal DockerfileDocument? Dockerfile => Request.Dockerfile;

    internal CompliancePolicy Policy => Request.Policy;

    internal SessionCheck? Session => Request.Session;

    /// <summary>The skip verdict for image rules when no image was read.</summary>
    internal RuleVerdict NoImage => RuleVerdict.Skip(
        Request.ImageUnreadable
        ?? "No image was inspected (only a Dockerfile or settings were given); pass -Image, -Path or -Source Docker to check the image itself.");
}
