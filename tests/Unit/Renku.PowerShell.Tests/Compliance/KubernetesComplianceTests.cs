using System.Management.Automation;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>Test-RenkuImageCompliance -Runtime Kubernetes: images from a real loopback registry, the cluster faked.</summary>
public sealed class KubernetesComplianceTests : IAsyncLifetime
{
    private const string CommandSuffix = ",Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand";
    private readonly string folder = Path.Combine(Path.GetTempPath(), "renku-ps-kcomp-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly Lazy<RegistryServer> registry = new(() =>
    {
        RegistryServer server = RegistryServer.Start();
        using var pusher = new RegistryPusher(server.BaseUri);
        pusher.Push("team/lab", "1.0.0", ComplianceImages.Session());
        return server;
    });

    private FakeKubernetesServer cluster = null!;
    private string kubeconfig = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        cluster = await FakeKubernetesServer.StartAsync();
        kubeconfig = cluster.WriteKubeconfig(Path.Combine(folder, "config"));
    }

    public async Task DisposeAsync()
    {
        await cluster.DisposeAsync();
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }

        Directory.Delete(folder, recursive: true);
    }

    private string Image => registry.Value.Host + "/team/lab:1.0.0";

    private PowerShellResult Run(string script) => ModuleHost.Run(
        script,
        new Dictionary<string, object?> { ["image"] = Image, ["kubeconfig"] = kubeconfig, ["folder"] = folder },
        TimeSpan.FromMinutes(3));

    private static string Outcome(PSObject report, string ruleId) =>
        ((System.Collections.IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject)
            .Single(r => (string)r.Properties["RuleId"].Value == ruleId).Properties["Outcome"].Value.ToString()!;

    [SkippableFact]
    public void TheImageRunsInTheClusterAndThePodIsDeleted()
    {
        var result = Run("Test-RenkuImageCompliance -Image $image -Runtime Kubernetes -Kubeconfig $kubeconfig -ProbeTimeout 00:00:20").ShouldSucceed();
        PSObject report = Assert.Single(result.Output);
        Assert.Contains(result.Warnings, w => w.Contains("-ProbeTimeout", StringComparison.Ordinal));
        Assert.Equal("Pass", Outcome(report, "RKS001"));
        Assert.Equal("Pass", Outcome(report, "RKS002"));
        Assert.Equal("Pass", Outcome(report, "RKS003"));
        Assert.Equal("Skip", Outcome(report, "RKS004"));
        var session = PSObject.AsPSObject(report.Properties["Session"].Value);
        Assert.Equal("Kubernetes", session.Properties["Runtime"].Value);
        Assert.Equal(true, session.Properties["CleanedUp"].Value);

        JsonPod created = new(Assert.Single(cluster.CreatedPods));
        Assert.Equal(Image, created.Image);
        Assert.Empty(cluster.ContractViolations);
        Assert.Equal(new[] { created.Name }, cluster.DeletedPods);
    }

    [SkippableFact]
    public void ACrashingImageFailsTheSessionRules()
    {
        cluster.Scenario = PodScenario.CrashLoopBackOff(exitCode: 2, lastWords: "no such file");
        var result = Run("Test-RenkuImageCompliance -Image $image -Runtime Kubernetes -Kubeconfig $kubeconfig -ProbeTimeout 00:00:20").ShouldSucceed();
        PSObject report = Assert.Single(result.Output);
        Assert.Equal("Fail", Outcome(report, "RKS001"));
        Assert.Single(cluster.DeletedPods);
    }

    [SkippableFact]
    public void WhatIfCreatesNoPodAndKeepsTheStaticChecks()
    {
        var result = Run("Test-RenkuImageCompliance -Image $image -Runtime Kubernetes -Kubeconfig $kubeconfig -WhatIf").ShouldSucceed();
        PSObject report = Assert.Single(result.Output);
        Assert.Empty(result.Warnings);
        Assert.Equal("Skip", Outcome(report, "RKS001"));
        Assert.Equal("Pass", Outcome(report, "RKC001"));
        Assert.Empty(cluster.CreatedPods);
        Assert.DoesNotContain(cluster.Requests, r => r.Method == "POST");
    }

    [SkippableFact]
    public async Task StoppingThePipelineStillDeletesThePod()
    {
        cluster.Scenario = PodScenario.Stuck();
        _ = registry.Value;
        Assert.Throws<TimeoutException>(() => ModuleHost.Run(
            "Test-RenkuImageCompliance -Image $image -Runtime Kubernetes -Kubeconfig $kubeconfig -ProbeTimeout 00:02:00",
            new Dictionary<string, object?> { ["image"] = Image, ["kubeconfig"] = kubeconfig },
            TimeSpan.FromSeconds(15)));
        Assert.Single(cluster.CreatedPods);
        DateTime deadline = DateTime.UtcNow.AddSeconds(30);
        while (cluster.DeletedPods.Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Single(cluster.DeletedPods);
        Assert.Empty(cluster.Store.List("pods", "renku", _ => true).Items);
    }

    [Fact]
    public void AnUnusableKubeconfigStopsBeforeAnything()
    {
        File.WriteAllText(Path.Combine(folder, "garbage"), "clusters: [ {{{");
        var result = Run("Test-RenkuImageCompliance -Image 'example.org/team/lab:1.0.0' -Runtime Kubernetes -Kubeconfig \"$folder/garbage\"");
        Assert.Equal(new[] { "KubernetesConfigurationInvalid" + CommandSuffix }, result.ErrorIds);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void ClusterParametersNeedTheKubernetesRuntime()
    {
        var result = Run("Test-RenkuImageCompliance -Image 'example.org/team/lab:1.0.0' -Namespace renku");
        Assert.Equal(new[] { "InvalidEnvironmentSettings" + CommandSuffix }, result.ErrorIds);
        Assert.Empty(result.Output);
    }

    [SkippableFact]
    public void AForbiddenPodCreationIsReportedPerImage()
    {
        cluster.Forbid("create", "pods");
        var result = Run("Test-RenkuImageCompliance -Image $image -Runtime Kubernetes -Kubeconfig $kubeconfig -ProbeTimeout 00:00:20");
        Assert.Equal(new[] { "KubernetesForbidden" + CommandSuffix }, result.ErrorIds);
        Assert.Empty(cluster.CreatedPods);
    }

    private sealed class JsonPod
    {
        internal JsonPod(System.Text.Json.Nodes.JsonObject pod)
        {
            Name = pod["metadata"]!["name"]!.GetValue<string>();
            Image = pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>();
        }

        internal string Name { get; }

        internal string Image { get; }
    }
}
