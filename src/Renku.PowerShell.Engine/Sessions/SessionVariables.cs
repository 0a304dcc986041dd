using System.Globalization;

namespace Renku.PowerShell.Sessions;

/// <summary>The environment variables Renku sets in a session container, as NAME=value.</summary>
public static class SessionVariables
{
    /// <summary>Where Renku mounts a project's secrets unless the project names another directory.</summary>
    public const string DefaultSecretsPath = "/secrets";

    /// <summary>The project path (<c>namespace/slug</c>) a check started outside any project reports.</summary>
    public const string CheckProjectPath = "renku-check/session-check";

    /// <param name="baseUrlPath">The path the session is served under (<c>/sessions/&lt;name&gt;</c>).</param>
    /// <param name="baseUrl">The session's own URL including that path.</param>
    public static IReadOnlyList<KeyValuePair<string, string>> For(SessionSettings settings, SessionLayout layout, string baseUrlPath, string baseUrl, string? projectId = null, string? launcherId = null) => new KeyValuePair<string, string>[]
    {
        new("RENKU_SESSION", "1"),
        new("RENKU_SESSION_IP", "0.0.0.0"),
        new("RENKU_SESSION_PORT", settings.Port.ToString(CultureInfo.InvariantCulture)),
        new("RENKU_BASE_URL_PATH", baseUrlPath),
        new("RENKU_BASE_URL", baseUrl),
    }.Concat(EveryRun(layout, projectId, launcherId)).ToArray();

    /// <summary>
    /// The variables of a job (a non-interactive launcher's run): <c>RENKU_JOB=1</c> and the
    /// submission id instead of <c>RENKU_SESSION</c>, <c>RENKU_SESSION_IP</c>,
    /// <c>RENKU_SESSION_PORT</c> and <c>RENKU_BASE_URL*</c> (a job has no port and no ingress);
    /// the directories, secrets path, project and launcher as for every session.
    /// </summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ForJob(SessionLayout layout, string submissionId, string? projectId = null, string? launcherId = null) => new KeyValuePair<string, string>[]
    {
        new("RENKU_JOB", "1"),
        new("RENKU_SUBMISSION_ID", submissionId),
    }.Concat(EveryRun(layout, projectId, launcherId)).ToArray();

    /// <summary>What Renku sets in every run, session or job: the directories, the secrets path, the project and the launcher.</summary>
    private static KeyValuePair<string, string>[] EveryRun(SessionLayout layout, string? projectId, string? launcherId) => new KeyValuePair<string, string>[]
    {
        new("RENKU_MOUNT_DIR", layout.MountDirectory),
        new("RENKU_WORKING_DIR", layout.WorkingDirectory),
        new("RENKU_SECRETS_PATH", DefaultSecretsPath),
        new("RENKU_PROJECT_ID", projectId ?? string.Empty),
        new("RENKU_PROJECT_PATH", CheckProjectPath),
        new("RENKU_LAUNCHER_ID", launcherId ?? string.Empty),
        new("CNB_APP_DIR", layout.WorkingDirectory),
    };

    /// <summary>Refuses what Renku would refuse, before anything is started: an image that is no reference, a port, uid/gid or directory outside Renku's limits.</summary>
    /// <exception cref="SessionSettingsException">The settings are not something Renku would run.</exception>
    public static void Validate(string image, SessionSettings settings)
    {
        if (string.IsNullOrWhiteSpace(image))
        {
            throw new SessionSettingsException("The image is empty.");
        }

        if (!ImageReference.TryParse(image, out _, out string? error))
        {
            throw new SessionSettingsException($"The image '{image}' is not a valid image reference: {error}");
        }

        if (settings.Port is < 1 or >= SessionSettings.FirstReservedPort)
        {
            throw new SessionSettingsException($"The port {settings.Port} is outside 1..65399 (65400 and above are reserved for Renku's sidecars).");
        }

        if (settings.Uid is < 1 or > 65535 || settings.Gid is < 1 or > 65535)
        {
            throw new SessionSettingsException($"uid {settings.Uid} / gid {settings.Gid}: Renku accepts 1..65535 for both.");
        }

        foreach (string? directory in new[] { settings.WorkingDirectory, settings.MountDirectory })
        {
            if (!string.IsNullOrWhiteSpace(directory) && !directory.StartsWith('/'))
            {
                throw new SessionSettingsException($"The directory '{directory}' is not an absolute path.");
            }
        }
    }
}
