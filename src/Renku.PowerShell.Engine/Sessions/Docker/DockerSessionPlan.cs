using System.Globalization;

using Renku.PowerShell.Docker;

namespace Renku.PowerShell.Sessions.Docker;

/// <summary>
/// What a Docker session check would start, in words, without contacting the engine: what
/// -WhatIf prints and -Confirm asks about before a container is created.
/// </summary>
public static class DockerSessionPlan
{
    /// <summary>The container, settings and volume a check of <paramref name="image"/> would create, and what happens to them.</summary>
    /// <param name="kind">A job runs its command to completion: no port, no probe, Renku's job variables.</param>
    public static string Describe(string image, SessionSettings settings, string? dockerHost, TimeSpan readinessDeadline, SessionKind kind = SessionKind.Interactive)
    {
        ArgumentNullException.ThrowIfNull(image);
        ArgumentNullException.ThrowIfNull(settings);
        bool job = kind == SessionKind.Job;
        var parts = job
            ? new List<string> { $"user {settings.Uid}:{settings.Gid}", "RENKU_JOB=1 and a submission id" }
            : new List<string>
            {
                "port " + settings.Port.ToString(CultureInfo.InvariantCulture),
                $"user {settings.Uid}:{settings.Gid}",
                "default URL " + settings.DefaultUrl,
            };
        if (!job && settings.StripPathPrefix)
        {
            parts.Add("path prefix stripped");
        }

        parts.Add("working directory " + (string.IsNullOrWhiteSpace(settings.WorkingDirectory) ? "(the image's WORKDIR)" : settings.WorkingDirectory));
        parts.Add("a fresh volume at " + (string.IsNullOrWhiteSpace(settings.MountDirectory) ? "the working directory" : settings.MountDirectory));
        if (settings.Command is { } command)
        {
            parts.Add("command " + string.Join(' ', command));
        }

        if (settings.Args is { } arguments)
        {
            parts.Add("arguments " + string.Join(' ', arguments));
        }

        string seconds = readinessDeadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);
        if (job)
        {
            return $"Running {image} as a Renku job in a container on the Docker engine {DockerHostResolver.Resolve(dockerHost)} ({string.Join(", ", parts)}), pulling it first if the engine lacks it; waiting up to {seconds} s for its command to exit, then removing the container and its volume.";
        }

        return $"Starting {image} as a Renku session in a container on the Docker engine {DockerHostResolver.Resolve(dockerHost)} ({string.Join(", ", parts)}), pulling it first if the engine lacks it; probing it for up to {readinessDeadline.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s, then removing the container and its volume.";
    }
}
