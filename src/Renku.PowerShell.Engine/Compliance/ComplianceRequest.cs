using Renku.PowerShell.Dockerfiles;
namespace Renku.PowerShell.Compliance;

/// <summary>What to judge: an image (as inspected), the settings it will run under, a Dockerfile, a policy and a session check.</summary>
public sealed class ComplianceRequest
{
    /// <summary>The reference as given (when the image came from an archive it may be null).</summary>
    public ImageReference? Reference { get; init; }

    /// <summary>The image's facts, or null to judge only the settings and the Dockerfile.</summary>
    public ImageInfo? Image { get; init; }

    /// <summary>
    /// Why the image named by <see cref="Reference"/> could not be read (it needs credentials that
    /// were not given); the image rules are skipped with this reason.
    /// </summary>
    public string? ImageUnreadable { get; init; }

    /// <summary>Whether the image can be pulled anonymously, when that is known without <see cref="Image"/>.</summary>
    public PublicAccess? PublicAccess { get; init; }

    /// <summary>Renku's own pull check of the image (with a Renku connection), or null when it was not asked.</summary>
    public PlatformImageCheck? PlatformCheck { get; init; }

    /// <summary>Why Renku's pull check was asked but gave no answer (the API refused or could not be reached).</summary>
    public string? PlatformCheckProblem { get; init; }

    /// <summary>True when the caller chose to check without Renku's pull check although connected.</summary>
    public bool PlatformCheckSkipped { get; init; }

    /// <summary>This request without Renku's pull check: what the module's own checks alone judge.</summary>
    internal ComplianceRequest WithoutPlatformCheck() => new()
    {
        Reference = Reference,
        Image = Image,
        ImageUnreadable = ImageUnreadable,
        PublicAccess = PublicAccess,
        Settings = Settings,
        Dockerfile = Dockerfile,
        Policy = Policy,
        Session = Session,
        Launches = Launches,
        Kind = Kind,
    };

    /// <summary>
    /// Where the environment's launchers run (with a Renku connection: the pool platform of each
    /// launcher's class), or null when the launchers and pools were not read.
    /// </summary>
    public IReadOnlyList<LaunchPlatform>? Launches { get; init; }

    public SessionSettings Settings { get; init; } = SessionSettings.RenkuDefaults;

    /// <summary>How Renku runs the image (a job for non-interactive launchers); the rules judge it so.</summary>
    public SessionKind Kind { get; init; } = SessionKind.Interactive;

    public DockerfileDocument? Dockerfile { get; init; }

    public CompliancePolicy Policy { get; init; } = CompliancePolicy.Default;

    /// <summary>The result of starting the image as a session, or null when no session check ran.</summary>
    public SessionCheck? Session { get; init; }
}
