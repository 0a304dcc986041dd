using System.Diagnostics;

using Renku.PowerShell.Cleanup;
using Renku.PowerShell.Docker;

using global::Docker.DotNet;
using global::Docker.DotNet.Models;

namespace Renku.PowerShell.Sessions.Docker;

/// <summary>
/// The steps a session check and a job check take alike: naming what they create, the first
/// record, the image, the volume at the mount directory, the container's create and start, and
/// the removal of everything however the check ends.
/// </summary>
public sealed partial class DockerSessionRunner
{
    /// <summary>A fresh name for the container, volume and network of one check.</summary>
    private static (string Container, string Volume, string Network) NewNames()
    {
        string suffix = Guid.NewGuid().ToString("N")[..10];
        string name = "renku-check-" + suffix;
        return (name, name, name);
    }

    /// <summary>What a check knows before it asks the engine anything.</summary>
    private SessionCheck FirstCheck(SessionCheckRequest request) => new()
    {
        Runtime = Name,
        Image = request.Image,
        User = $"{request.Settings.Uid}:{request.Settings.Gid}",
        Port = request.Settings.Port,
        Probe = request.Probe,
        ReadinessDeadline = request.ReadinessDeadline,
        Outcome = SessionOutcome.ContainerError,
    };

    /// <summary>The image, or the engine's reason it could not be had; an unreachable engine is thrown.</summary>
    private static async Task<(ImageInspectResponse? Image, DockerEngineException? Error)> TryInspectOrPullAsync(DockerClient client, string image, IProgress<string>? progress, CancellationToken cancellationToken)
    {
        try
        {
            return (await InspectOrPullAsync(client, image, progress, cancellationToken).ConfigureAwait(false), null);
        }
        catch (DockerEngineException ex) when (!ex.Unreachable)
        {
            return (null, ex);
        }
    }

    /// <summary>The check with what the container will run: entrypoint and arguments as the engine resolves them.</summary>
    private static SessionCheck Planned(SessionCheck check, string containerName, SessionLayout layout, SessionSettings settings, ImageInspectResponse image, IReadOnlyList<string> environment)
    {
        IReadOnlyList<string> entrypoint = settings.Command ?? (IReadOnlyList<string>?)image.Config?.Entrypoint ?? Array.Empty<string>();
        IReadOnlyList<string> arguments = settings.Args ?? (settings.Command is null ? (IReadOnlyList<string>?)image.Config?.Cmd ?? Array.Empty<string>() : Array.Empty<string>());
        return check with
        {
            ContainerName = containerName,
            WorkingDirectory = layout.WorkingDirectory,
            MountDirectory = layout.MountDirectory,
            Entrypoint = entrypoint,
            Arguments = arguments,
            Environment = environment,
        };
    }

    /// <summary>
    /// A fresh volume owned by the session user, group-writable with setgid, as Kubernetes
    /// prepares a volume for a pod with runAsUser and fsGroup. podman takes a size as a disk quota
    /// its storage may not support, so its volume has no size limit.
    /// </summary>
    private static async Task CreateVolumeAsync(DockerClient client, Resources created, SessionSettings settings, bool podman, string kind, CancellationToken cancellationToken)
    {
        var volume = new VolumesCreateParameters
        {
            Name = created.VolumeName,
            Driver = "local",
            DriverOpts = new Dictionary<string, string>
            {
                ["type"] = "tmpfs",
                ["device"] = "tmpfs",
                ["o"] = $"uid={settings.Uid},gid={settings.Gid},mode=2775" + (podman ? string.Empty : ",size=256m"),
            },
            Labels = new Dictionary<string, string> { [CheckLabel] = kind },
        };
        created.TrackVolume();
        await CreateCall.RunAsync(token => client.Volumes.CreateAsync(volume, token), created.VolumeSettled, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The container as Renku runs the session: uid:gid, working directory, variables, the volume at the mount directory.</summary>
    private static CreateContainerParameters ContainerParameters(Resources created, string imageId, SessionSettings settings, SessionLayout layout, IList<string> environment, string network, string kind) => new()
    {
        Name = created.ContainerName,
        Image = imageId,
        User = $"{settings.Uid}:{settings.Gid}",
        WorkingDir = layout.WorkingDirectory,
        Env = environment,
        Entrypoint = settings.Command?.ToList()!,
        Cmd = settings.Args?.ToList()!,
        Labels = new Dictionary<string, string> { [CheckLabel] = kind },
        HostConfig = new HostConfig
        {
            NetworkMode = network,
            Mounts = new List<Mount> { new() { Type = "volume", Source = created.VolumeName, Target = layout.MountDirectory } },
        },
    };

    private static async Task CreateAndStartAsync(DockerClient client, Resources created, CreateContainerParameters parameters, CancellationToken cancellationToken)
    {
        created.TrackContainer();
        await CreateCall.RunAsync(token => client.Containers.CreateContainerAsync(parameters, token), created.ContainerSettled, cancellationToken).ConfigureAwait(false);
        await client.Containers.StartContainerAsync(created.ContainerName, new ContainerStartParameters(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs a check's steps once its resources are recorded. A stop or a network problem is not a
    /// verdict on the image: it is thrown for the caller's error record, once all is removed. An
    /// engine failure on the way is handed to <paramref name="engineFailed"/> for a verdict.
    /// </summary>
    private static async Task<SessionCheck> GuardAsync(DockerClient client, Resources created, Func<Task<SessionCheck>> steps, Func<Exception, Task<SessionCheck>> engineFailed)
    {
        try
        {
            return await steps().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SessionNetworkException)
        {
            await RemoveAsync(client, created).ConfigureAwait(false);
            throw;
        }
        catch (Exception ex) when (ex is DockerApiException or HttpRequestException or IOException)
        {
            return await engineFailed(ex).ConfigureAwait(false);
        }
    }

    /// <summary>Removes what the check created and stamps the outcome and duration.</summary>
    private static async Task<SessionCheck> StampAsync(DockerClient client, Resources created, SessionCheck check, SessionOutcome outcome, Stopwatch clock)
    {
        string? cleanupError = await RemoveAsync(client, created).ConfigureAwait(false);
        return check with { Outcome = outcome, Duration = clock.Elapsed, CleanedUp = cleanupError is null, CleanupError = cleanupError };
    }
}
