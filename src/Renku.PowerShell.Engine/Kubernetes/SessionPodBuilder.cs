using System.Globalization;

using k8s.Models;

using Renku.PowerShell.Sessions;

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
    internal const string JobPurposeValue = "job-check";
    internal const string ContainerName = "amalthea-session";
    internal const string VolumeName = "session-mount";

    /// <summary>The pod for <paramref name="request"/>, whose session gets <paramref name="layout"/>.</summary>
    /// <exception cref="SessionSettingsException">The settings are not something Renku would run.</exception>
    internal static V1Pod Build(SessionCheckRequest request, SessionLayout layout, string podName, string @namespace)
    {
        SessionVariables.Validate(request.Image, request.Settings);
        if (request.Kind == SessionKind.Job)
        {
            return BuildJob(request, layout, podName, @namespace, request.SubmissionId ?? SessionKinds.NewSubmissionId());
        }

        SessionSettings settings = request.Settings;
        ReadinessProbeSettings probe = ReadinessProbeSettings.Renku;
        string basePath = BasePath(podName);
        string port = settings.Port.ToString(CultureInfo.InvariantCulture);
        IEnumerable<KeyValuePair<string, string>> variables = SessionVariables.For(settings, layout, basePath, $"http://{podName}.{@namespace}.svc:{port}{basePath}", request.ProjectId, request.LauncherId);
        V1Pod pod = Pod(request, layout, podName, @namespace, variables, PurposeValue, restartPolicy: "Always");
        V1Container container = pod.Spec.Containers[0];
        container.Ports = new List<V1ContainerPort> { new() { Name = "session", ContainerPort = settings.Port, Protocol = "TCP" } };
        container.ReadinessProbe = new V1Probe
        {
            TcpSocket = new V1TCPSocketAction { Port = settings.Port },
            InitialDelaySeconds = (int)probe.InitialDelay.TotalSeconds,
            PeriodSeconds = (int)probe.Period.TotalSeconds,
            SuccessThreshold = probe.SuccessThreshold,
            FailureThreshold = probe.FailureThreshold,
            TimeoutSeconds = (int)probe.Timeout.TotalSeconds,
        };
        return pod;
    }

    /// <summary>
    /// The pod of a job check: the session container as Renku runs a non-interactive launcher's
    /// session (job variables, no port, no readiness probe), run once to completion.
    /// </summary>
    private static V1Pod BuildJob(SessionCheckRequest request, SessionLayout layout, string podName, string @namespace, string submissionId)
    {
        IEnumerable<KeyValuePair<string, string>> variables = SessionVariables.ForJob(layout, submissionId, request.ProjectId, request.LauncherId);
        return Pod(request, layout, podName, @namespace, variables, JobPurposeValue, restartPolicy: "Never");
    }

    /// <summary>
    /// What a session pod and a job pod have in common: labels, pod security, the emptyDir at the
    /// mount directory and the one session container with <paramref name="variables"/>; the
    /// session's port and readiness probe are added by <see cref="Build"/>.
    /// </summary>
    private static V1Pod Pod(SessionCheckRequest request, SessionLayout layout, string podName, string @namespace, IEnumerable<KeyValuePair<string, string>> variables, string purpose, string restartPolicy)
    {
        SessionSettings settings = request.Settings;
        List<V1EnvVar> env = variables
            .Select(v => new V1EnvVar { Name = v.Key, Value = v.Value })
            .ToList();
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
                    [PurposeLabel] = purpose,
                },
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = restartPolicy,
                AutomountServiceAccountToken = false,
                EnableServiceLinks = false,
                TerminationGracePeriodSeconds = 5,
                SecurityContext = new V1PodSecurityContext { FsGroup = settings.Gid },
                Volumes = new List<V1Volume> { new() { Name = VolumeName, EmptyDir = new V1EmptyDirVolumeSource() } },
                Containers = new List<V1Container>
                {
                    new()
                    {
                        Name = ContainerName,
                        Image = request.Image,
                        ImagePullPolicy = "Always",
                        Command = settings.Command?.ToList(),
                        Args = settings.Args?.ToList(),
                        WorkingDir = layout.WorkingDirectory,
                        Env = env,
                        SecurityContext = new V1SecurityContext { RunAsUser = settings.Uid, RunAsGroup = settings.Gid },
                        VolumeMounts = new List<V1VolumeMount> { new() { Name = VolumeName, MountPath = layout.MountDirectory } },
                    },
                },
            },
        };
    }

    /// <summary>The path a session is served under, as Renku names it.</summary>
    internal static string BasePath(string podName) => "/sessions/" + podName;

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
