using k8s.Models;

namespace Renku.PowerShell.Kubernetes;

/// <summary>Builds <see cref="RenkuSession"/> objects from the resource and its pod, and selects them.</summary>
internal static class SessionJoiner
{
    internal static RenkuSession Join(AmaltheaSessionResource resource, V1Pod? pod, DateTimeOffset now, string fallbackNamespace)
    {
        var meta = resource.Metadata;
        var status = resource.Status;
        var restarts = pod?.Status?.ContainerStatuses?
            .FirstOrDefault(c => c.Name == AmaltheaSessionResource.SessionContainer)?.RestartCount;
        bool hibernated = resource.Spec?.Hibernated == true || string.Equals(status?.State, "Hibernated", StringComparison.OrdinalIgnoreCase);
        return new RenkuSession
        {
            Name = meta.Name ?? string.Empty,
            Namespace = meta.Namespace ?? fallbackNamespace,
            State = status?.State,
            Image = resource.Spec?.Session?.Image,
            LauncherId = Lookup(meta.Annotations, AmaltheaSessionResource.LauncherAnnotation),
            ProjectId = Lookup(meta.Annotations, AmaltheaSessionResource.ProjectAnnotation),
            User = Lookup(meta.Labels, AmaltheaSessionResource.UserLabel),
            Url = status?.Url,
            ReadyContainers = status?.ContainerCounts?.Ready,
            TotalContainers = status?.ContainerCounts?.Total,
            RestartCount = restarts,
            PodPhase = pod?.Status?.Phase,
            FailingSince = status?.FailingSince,
            Error = string.IsNullOrEmpty(status?.Error) ? null : status!.Error,
            Created = meta.CreationTimestamp,
            Age = meta.CreationTimestamp is { } created ? now - created : null,
            Hibernated = hibernated,
            HibernatedSince = status?.HibernatedSince,
        };
    }

    /// <summary>
    /// Applies the query; returns null when the session is not selected, else the session with
    /// its environment id filled in when a given launcher tells it.
    /// </summary>
    internal static RenkuSession? Select(RenkuSession session, RenkuSessionQuery query)
    {
        if (!Contains(query.States, session.State) || !Contains(query.LauncherIds, session.LauncherId) || !Contains(query.ProjectIds, session.ProjectId))
        {
            return null;
        }

        if (query.ImageFilter is not null && (session.Image is null || !query.ImageFilter(session.Image)))
        {
            return null;
        }

        SessionLauncherRef? launcher = session.LauncherId is null ? null
            : query.Launchers?.FirstOrDefault(l => string.Equals(l.Id, session.LauncherId, StringComparison.Ordinal));

        if (query.Environments is { Count: > 0 } environments)
        {
            bool belongs = environments.Any(e =>
                (e.Id is not null && launcher?.EnvironmentId is not null && string.Equals(e.Id, launcher.EnvironmentId, StringComparison.Ordinal))
                || (e.Image is not null && session.Image is not null && SameImage(e.Image, session.Image)));
            if (!belongs)
            {
                return null;
            }

            if (launcher is null)
            {
                // Matched by image: the environment is known when exactly one given environment has it.
                var byImage = environments.Where(e => e.Image is not null && session.Image is not null && SameImage(e.Image, session.Image) && e.Id is not null).Select(e => e.Id).Distinct().ToList();
                return byImage.Count == 1 ? With(session, byImage[0]) : session;
            }
        }
        else if (query.Launchers is { Count: > 0 } && launcher is null)
        {
            return null;
        }

        return launcher?.EnvironmentId is not null ? With(session, launcher.EnvironmentId) : session;
    }

    /// <summary>Equal after Docker's normalisation (python == docker.io/library/python:latest).</summary>
    internal static bool SameImage(string a, string b)
    {
        if (string.Equals(a, b, StringComparison.Ordinal))
        {
            return true;
        }

        return ImageReference.TryParse(a, out var left, out _) && ImageReference.TryParse(b, out var right, out _) && left!.Equals(right);
    }

    private static RenkuSession With(RenkuSession s, string? environmentId) => new()
    {
        Name = s.Name,
        Namespace = s.Namespace,
        State = s.State,
        Image = s.Image,
        LauncherId = s.LauncherId,
        ProjectId = s.ProjectId,
        EnvironmentId = environmentId,
        User = s.User,
        Url = s.Url,
        ReadyContainers = s.ReadyContainers,
        TotalContainers = s.TotalContainers,
        RestartCount = s.RestartCount,
        PodPhase = s.PodPhase,
        FailingSince = s.FailingSince,
        Error = s.Error,
        Created = s.Created,
        Age = s.Age,
        Hibernated = s.Hibernated,
        HibernatedSince = s.HibernatedSince,
    };

    private static bool Contains(IReadOnlyCollection<string>? accepted, string? value) =>
        accepted is not { Count: > 0 } || (value is not null && accepted.Contains(value, StringComparer.OrdinalIgnoreCase));

    private static string? Lookup(Dictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out string? value) && !string.IsNullOrEmpty(value) ? value : null;
}
