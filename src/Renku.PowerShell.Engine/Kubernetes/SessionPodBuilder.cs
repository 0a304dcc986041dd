using k8s.Models;

namespace Renku.PowerShell.Kubernetes;

/// <summary>
/// The pod of a cluster session check: the session container as Renku runs it, and nothing else
/// (no sidecars, no persistent volume: an emptyDir stands in at the mount directory).
/// </summary>
internal static class SessionPodBuilder
{
    internal const string ManagedByLabel = "app.kubernetes.io/managed-by";
    internal const string ManagedByValue = "Renku.PowerShell";
    internal const string PurposeLabel = "renku-powershell/purpose";
    internal const string PurposeValue = "session-check";
    internal const string ContainerName = "amalthea-session";
    internal const string VolumeName = "session-mount";

    // Renku's readiness probe on the session container.
    internal const int ProbeInitialDelaySeconds = 10;
    internal const int ProbePeriodSeconds = 5;
    internal const int ProbeSuccessThreshold = 5;
    internal const int ProbeFailureThreshold = 3;
    internal const int ProbeTimeoutSeconds = 1;

    internal static V1Pod Build(SessionContainerSpec spec, string podName, string @namespace)
    {
        Validate(spec);
        SessionDirectories layout = SessionDirectories.Resolve(spec.WorkingDirectory, spec.MountDirectory, spec.ImageWorkingDirectory);
        string basePath = BasePath(podName);
        var env = new List<V1EnvVar>
        {
            Env("RENKU_SESSION", "1"),
            Env("RENKU_SESSION_IP", "0.0.0.0"),
            Env("RENKU_SESSION_PORT", spec.Port.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            Env("RENKU_BASE_URL_PATH", basePath),
            Env("RENKU_BASE_URL", $"http://{podName}.{@namespace}.svc:{spec.Port}{basePath}"),
            Env("RENKU_MOUNT_DIR", layout.MountDirectory),
            Env("RENKU_WORKING_DIR", layout.WorkingDirectory),
            Env("RENKU_PROJECT_ID", spec.ProjectId ?? string.Empty),
            Env("RENKU_LAUNCHER_ID", spec.LauncherId ?? string.Empty),
            Env("CNB_APP_DIR", layout.WorkingDirectory),
        };

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = podName,
                NamespaceProperty = @namespace,
                Labels = new Dictionary<string, string>
                {
                    [ManagedByLabel] = ManagedByValue,
                    [PurposeLabel] = PurposeValue,
                },
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Always",
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 5,
                SecurityContext = new V1PodSecurityContext { FsGroup = spec.Gid },
                Volumes = new List<V1Volume> { new() { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() } },
                Containers = new List<V1Container>
                {
                    new()
                    {
                        Name = ContainerName,
                        Image = spec.Image,
                        ImagePullPolicy = "Always",
                        Command = spec.Command?.ToList(),
                        Args = spec.Args?.ToList(),
                        WorkingDir = layout.WorkingDirectory,
                        Env = env,
                        Ports = new List<V1ContainerPort> { new() { Name = "session", ContainerPort = spec.Port, Protocol = "TCP" } },
                        SecurityContext = new V1SecurityContext { RunAsUser = spec.Uid, RunAsGroup = spec.Gid },
                        VolumeMounts = new List<V1VolumeMount> { new() { Name = VolumeName, MountPath = layout.MountDirectory } },
                        ReadinessProbe = new V1Probe
                        {
                            TcpSocket = new V1TCPSocketAction { Port = spec.Port },
                            InitialDelaySeconds = ProbeInitialDelaySeconds,
                            PeriodSeconds = ProbePeriodSeconds,
                            SuccessThreshold = ProbeSuccessThreshold,
                            FailureThreshold = ProbeFailureThreshold,
                            TimeoutSeconds = ProbeTimeoutSeconds,
                        },
                    },
                },
            },
        };
    }

    /// <summary>The path a session is served under, as Renku names it.</summary>
    internal static string BasePath(string podName) => "/sessions/" + podName;

    private static V1EnvVar Env(string name, string value) => new() { Name = name, Value = value };

    /// <summary>Refuses what Renku would refuse, before anything is sent.</summary>
    internal static void Validate(SessionContainerSpec spec)
    {
        if (string.IsNullOrWhiteSpace(spec.Image))
        {
            throw new ArgumentException("The image is empty.", nameof(spec));
        }

        if (!ImageReference.TryParse(spec.Image, out _, out string? error))
        {
            throw new ArgumentException($"The image '{spec.Image}' is not a valid image reference: {error}", nameof(spec));
        }

        if (spec.Port is < 1 or > 65399)
        {
            throw new ArgumentException($"The port {spec.Port} is outside 1..65399 (65400 and above are reserved for Renku's sidecars).", nameof(spec));
        }

        if (spec.Uid is < 1 or > 65535 || spec.Gid is < 1 or > 65535)
        {
            throw new ArgumentException($"uid {spec.Uid} / gid {spec.Gid}: Renku accepts 1..65535 for both.", nameof(spec));
        }

        foreach (string? dir in new[] { spec.WorkingDirectory, spec.MountDirectory })
        {
            if (!string.IsNullOrWhiteSpace(dir) && !dir.StartsWith('/'))
            {
                throw new ArgumentException($"The directory '{dir}' is not an absolute path.", nameof(spec));
            }
        }
    }

    internal static string NewPodName()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";
        Span<char> suffix = stackalloc char[8];
        for (int i = 0; i < suffix.Length; i++)
        {
            suffix[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
        }

        return "renku-check-" + new string(suffix);
    }
}
