using Renku.PowerShell.Cleanup;

namespace Renku.PowerShell.Sessions;

/// <summary>What a session runtime needs to start an image the way Renku starts a session.</summary>
public sealed class SessionCheckRequest
{
    /// <summary>The image to start (a reference or an image id the runtime knows).</summary>
    public string Image { get; init; } = string.Empty;

    public SessionSettings Settings { get; init; } = SessionSettings.RenkuDefaults;

    /// <summary>The directories Renku will use (from <see cref="SessionSettings.ResolveLayout"/>); null to work them out from the image.</summary>
    public SessionLayout? Layout { get; init; }

    public ReadinessProbeSettings Probe { get; init; } = ReadinessProbeSettings.Renku;

    /// <summary>
    /// How to run the image: as an interactive session (probed on its port until ready), or as a
    /// job whose command runs to completion within <see cref="ReadinessDeadline"/>.
    /// </summary>
    public SessionKind Kind { get; init; } = SessionKind.Interactive;

    /// <summary>Goes into RENKU_SUBMISSION_ID of a job; null gives a fresh one.</summary>
    public string? SubmissionId { get; init; }

    /// <summary>The longest to wait for readiness; for a job, the longest its command may run.</summary>
    public TimeSpan ReadinessDeadline { get; init; } = DefaultReadinessDeadline;

    /// <summary>
    /// Where the runtime records what it creates (container, volume, pod) until it is removed, so
    /// that a caller whose cleanup ran out of time can name what is left.
    /// </summary>
    public CleanupLedger Ledger { get; init; } = CleanupLedger.Untracked;

    /// <summary>This request with <paramref name="submissionId"/> as its RENKU_SUBMISSION_ID.</summary>
    public SessionCheckRequest WithSubmissionId(string submissionId) => new()
    {
        Image = Image,
        Settings = Settings,
        Layout = Layout,
        Probe = Probe,
        Kind = Kind,
        SubmissionId = submissionId,
        ReadinessDeadline = ReadinessDeadline,
        Ledger = Ledger,
        ProjectId = ProjectId,
        LauncherId = LauncherId,
        BaseUrlPath = BaseUrlPath,
    };

    /// <summary>The directories for an image whose WORKDIR is <paramref name="imageWorkingDirectory"/>: <see cref="Layout"/> when set, else Renku's rules.</summary>
    public SessionLayout LayoutFor(string? imageWorkingDirectory) => Layout ?? Settings.ResolveLayout(imageWorkingDirectory);

    /// <summary>Goes into RENKU_PROJECT_ID (empty for a check, which belongs to no project).</summary>
    public string? ProjectId { get; init; }

    /// <summary>Goes into RENKU_LAUNCHER_ID (empty for a check, which no launcher started).</summary>
    public string? LauncherId { get; init; }

    /// <summary>The base path the session is served under (Renku uses <c>/sessions/&lt;name&gt;</c>).</summary>
    public string BaseUrlPath { get; init; } = DefaultBaseUrlPath;

    /// <summary>The base path sessions started by a check are served under.</summary>
    public const string DefaultBaseUrlPath = "/sessions/renku-check";

    /// <summary>How long a check waits for readiness unless told otherwise; shorter waits scale the probe timings down.</summary>
    public static readonly TimeSpan DefaultReadinessDeadline = TimeSpan.FromMinutes(3);

    /// <summary>
    /// A request whose probe keeps Renku's shape but fits <paramref name="deadline"/>: with less
    /// than <see cref="DefaultReadinessDeadline"/>, every probe timing is scaled by
    /// deadline / default (for CI and tests).
    /// </summary>
    public static ReadinessProbeSettings ProbeFor(TimeSpan deadline)
    {
        if (deadline <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(deadline), deadline, "The probe timeout must be positive.");
        }

        double factor = Math.Min(1.0, deadline.TotalMilliseconds / DefaultReadinessDeadline.TotalMilliseconds);
        return factor >= 1.0 ? ReadinessProbeSettings.Renku : ReadinessProbeSettings.Renku.Scale(factor);
    }
}
