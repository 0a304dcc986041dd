using System.Text.Json.Nodes;

using k8s;
using k8s.Models;

using Renku.PowerShell.FakeKubernetes;

using Xunit;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Sessions;

namespace Renku.PowerShell.Engine.Tests.Kubernetes;

public class SessionPodBuilderTests
{
    private static readonly SessionCheckRequest Spec = new()
    {
        Image = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3",
        Settings = new SessionSettings
        {
            Port = 8888,
            Uid = 1000,
            Gid = 100,
            WorkingDirectory = "/home/renku/work/project",
            MountDirectory = "/home/renku/work",
            Command = new[] { "/cnb/process/web" },
            Args = new[] { "--port", "8888" },
        },
        ProjectId = "01JPROJECT0000000000000000",
        LauncherId = "01JLAUNCHER000000000000000",
    };

    private static V1Pod Build(SessionCheckRequest request, string podName, string @namespace) =>
        SessionPodBuilder.Build(request, request.LayoutFor(null), podName, @namespace);

    [Fact]
    public void MirrorsRenkusSessionContainer()
    {
        V1Pod pod = Build(Spec, "renku-check-abc", "renku");
        V1Container container = Assert.Single(pod.Spec.Containers);
        Assert.Equal("amalthea-session", container.Name);
        Assert.Equal(Spec.Image, container.Image);
        Assert.Equal("Always", container.ImagePullPolicy);
        Assert.Equal(new[] { "/cnb/process/web" }, container.Command);
        Assert.Equal(new[] { "--port", "8888" }, container.Args);
        Assert.Equal("/home/renku/work/project", container.WorkingDir);
        Assert.Equal(1000, container.SecurityContext.RunAsUser);
        Assert.Equal(100, container.SecurityContext.RunAsGroup);
        Assert.Equal(100, pod.Spec.SecurityContext.FsGroup);
        Assert.Null(container.LivenessProbe);

        V1Probe probe = container.ReadinessProbe;
        Assert.Equal("8888", probe.TcpSocket.Port.Value);
        Assert.Equal((10, 5, 5, 3, 1), (probe.InitialDelaySeconds, probe.PeriodSeconds, probe.SuccessThreshold, probe.FailureThreshold, probe.TimeoutSeconds));

        V1VolumeMount mount = Assert.Single(container.VolumeMounts);
        Assert.Equal("/home/renku/work", mount.MountPath);
        Assert.NotNull(Assert.Single(pod.Spec.Volumes, v => v.Name == mount.Name).EmptyDir);

        var env = container.Env.ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal("1", env["RENKU_SESSION"]);
        Assert.Equal("0.0.0.0", env["RENKU_SESSION_IP"]);
        Assert.Equal("8888", env["RENKU_SESSION_PORT"]);
        Assert.Equal("/home/renku/work", env["RENKU_MOUNT_DIR"]);
        Assert.Equal("/home/renku/work/project", env["RENKU_WORKING_DIR"]);
        Assert.Equal("/home/renku/work/project", env["CNB_APP_DIR"]);
        Assert.Equal("/sessions/renku-check-abc", env["RENKU_BASE_URL_PATH"]);
        Assert.EndsWith("/sessions/renku-check-abc", env["RENKU_BASE_URL"], StringComparison.Ordinal);
        Assert.Equal(Spec.ProjectId, env["RENKU_PROJECT_ID"]);
        Assert.Equal(Spec.LauncherId, env["RENKU_LAUNCHER_ID"]);

        // Every variable Renku sets in a session, the secrets and project paths included.
        Assert.Equal("/secrets", env["RENKU_SECRETS_PATH"]);
        Assert.Equal("renku-check/session-check", env["RENKU_PROJECT_PATH"]);

        Assert.Equal("Renku.PowerShell", pod.Metadata.Labels["app.kubernetes.io/managed-by"]);
        Assert.False(pod.Spec.AutomountServiceAccountToken);
    }

    [Fact]
    public void TheFakeServersContractAcceptsTheBuiltPod()
    {
        V1Pod pod = Build(Spec, "renku-check-abc", "renku");
        var json = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(pod))!;
        Assert.True(PodSpecContract.Applies(json));
        Assert.Empty(PodSpecContract.Check(json));
    }

    [Fact]
    public void TheFakeServersContractCatchesAMissingProbeAndFsGroup()
    {
        // The contract must be able to fail, or the cluster-check tests prove nothing.
        V1Pod pod = Build(Spec, "renku-check-abc", "renku");
        pod.Spec.Containers[0].ReadinessProbe.PeriodSeconds = 10;
        pod.Spec.SecurityContext.FsGroup = null;
        pod.Spec.Containers[0].Env.RemoveAt(0);
        var problems = PodSpecContract.Check((JsonObject)JsonNode.Parse(KubernetesJson.Serialize(pod))!);
        Assert.Contains(problems, p => p.Field.EndsWith("periodSeconds", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Field == "spec.securityContext.fsGroup");
        Assert.Contains(problems, p => p.Message.Contains("RENKU_SESSION missing", StringComparison.Ordinal));
    }

    [Fact]
    public void CommandAndArgsAreLeftToTheImageWhenNotSet()
    {
        V1Pod pod = Build(new SessionCheckRequest { Image = "python:3.12", Settings = new SessionSettings { WorkingDirectory = null, MountDirectory = null } }, "renku-check-x", "ns");
        Assert.Null(pod.Spec.Containers[0].Command);
        Assert.Null(pod.Spec.Containers[0].Args);
        Assert.Equal("/home/jovyan/work", pod.Spec.Containers[0].WorkingDir);
    }

    [Theory]
    [InlineData("Bad/Upper", 8080, 1000, 1000, null)]
    [InlineData("python:3.12", 65400, 1000, 1000, null)]
    [InlineData("python:3.12", 0, 1000, 1000, null)]
    [InlineData("python:3.12", 8080, 0, 1000, null)]
    [InlineData("python:3.12", 8080, 1000, 70000, null)]
    [InlineData("python:3.12", 8080, 1000, 1000, "relative/dir")]
    [InlineData("", 8080, 1000, 1000, null)]
    public void RefusesWhatRenkuWouldRefuse(string image, int port, long uid, long gid, string? workingDirectory)
    {
        var settings = new SessionSettings { Port = port, Uid = (int)uid, Gid = (int)gid, WorkingDirectory = workingDirectory };
        Assert.ThrowsAny<ArgumentException>(() => SessionVariables.Validate(image, settings));
    }

    [Fact]
    public void PlanGivesAManifestAndCreatesNothing()
    {
        ClusterCheckPlan plan = ClusterSessionCheck.Plan(Spec, "renku");
        Assert.StartsWith("renku-check-", plan.PodName, StringComparison.Ordinal);
        Assert.Equal("renku", plan.Namespace);
        Assert.Contains("readinessProbe:", plan.Manifest, StringComparison.Ordinal);
        Assert.Contains("tcpSocket:", plan.Manifest, StringComparison.Ordinal);
        Assert.Contains("app.kubernetes.io/managed-by: Renku.PowerShell", plan.Manifest, StringComparison.Ordinal);
        Assert.Contains("RENKU_SESSION_PORT", plan.Manifest, StringComparison.Ordinal);
        Assert.Equal("/home/renku/work", plan.MountDirectory);
    }

    [Fact]
    public void PodNamesAreValidAndDistinct()
    {
        var names = Enumerable.Range(0, 50).Select(_ => SessionPodBuilder.NewPodName()).ToList();
        Assert.Equal(names.Count, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^renku-check-[a-z0-9]{8}$", n));
    }
}
