using System.Management.Automation;

using Renku.PowerShell.FakeKubernetes;
using Renku.PowerShell.TestSupport;

using Xunit;

namespace Renku.PowerShell.Tests.Sessions;

public sealed class GetRenkuSessionTests : IAsyncLifetime
{
    private const string Fqid = ",Renku.PowerShell.Commands.Sessions.GetRenkuSessionCommand";
    private const string LauncherA = "01JLAUNCHERA00000000000000";
    private const string LauncherB = "01JLAUNCHERB00000000000000";
    private const string ProjectP = "01JPROJECTP00000000000000P";
    private const string Custom = "registry.example.org/team/custom:1.0";

    private readonly string folder = Path.Combine(Path.GetTempPath(), "renku-ps-sessions-" + Guid.NewGuid().ToString("N")[..8]);
    private FakeKubernetesServer server = null!;
    private string kubeconfig = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(folder);
        server = await FakeKubernetesServer.StartAsync();
        kubeconfig = server.WriteKubeconfig(Path.Combine(folder, "config"));
        server.AddSession(new FakeSession { Name = "s-alpha", LauncherId = LauncherA, ProjectId = ProjectP, User = "alice" });
        server.AddSession(new FakeSession { Name = "s-bravo", LauncherId = LauncherA, ProjectId = ProjectP, User = "bob", State = "Failed", Error = "crashed", Ready = 1, RestartCount = 5 });
        server.AddSession(new FakeSession { Name = "s-charlie", LauncherId = LauncherB, Image = Custom, User = "carol", Hibernated = true, State = "Hibernated", Ready = 0 });
        server.AddSession(new FakeSession { Name = "s-delta", Image = "python:3.12", User = "dave" });
    }

    public async Task DisposeAsync()
    {
        await server.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    private PowerShellResult Run(string script) =>
        ModuleHost.Run(script, new Dictionary<string, object?> { ["kubeconfig"] = kubeconfig, ["folder"] = folder });

    private static string[] Names(PowerShellResult result) => result.Output.Select(o => (string)o.Properties["Name"].Value).ToArray();

    [Fact]
    public void ListsTypedSessionsJoinedWithTheirPods()
    {
        var result = Run("Get-RenkuSession -Kubeconfig $kubeconfig").ShouldSucceed();
        Assert.Equal(new[] { "s-alpha", "s-bravo", "s-charlie", "s-delta" }, Names(result));
        PSObject bravo = result.Output[1];
        Assert.Equal("Renku.PowerShell.RenkuSession", bravo.TypeNames[0]);
        Assert.Equal("Failed", bravo.Properties["State"].Value);
        Assert.Equal(5, bravo.Properties["RestartCount"].Value);
        Assert.Equal("bob", bravo.Properties["User"].Value);
        Assert.Equal(LauncherA, bravo.Properties["LauncherId"].Value);
        Assert.Equal(ProjectP, bravo.Properties["ProjectId"].Value);
        Assert.Equal("crashed", bravo.Properties["Error"].Value);
        Assert.Equal("renku", bravo.Properties["Namespace"].Value);
        Assert.Equal(true, result.Output[2].Properties["Hibernated"].Value);
    }

    [Fact]
    public void FiltersCombine()
    {
        Assert.Equal(new[] { "s-bravo" }, Names(Run("Get-RenkuSession -Kubeconfig $kubeconfig -State Failed").ShouldSucceed()));
        Assert.Equal(new[] { "s-charlie" }, Names(Run("Get-RenkuSession -Kubeconfig $kubeconfig -Image '*team/custom*'").ShouldSucceed()));
        Assert.Equal(new[] { "s-delta" }, Names(Run("Get-RenkuSession -Kubeconfig $kubeconfig -Image 'docker.io/library/python:*'").ShouldSucceed()));
        Assert.Equal(new[] { "s-alpha" }, Names(Run($"Get-RenkuSession -Kubeconfig $kubeconfig -LauncherId {LauncherA} -State Running").ShouldSucceed()));
        Assert.Equal(new[] { "s-alpha", "s-bravo" }, Names(Run($"Get-RenkuSession -Kubeconfig $kubeconfig -ProjectId {ProjectP}").ShouldSucceed()));
        Assert.Empty(Run("Get-RenkuSession -Kubeconfig $kubeconfig -Namespace elsewhere").ShouldSucceed().Output);
    }

    [Fact]
    public void EnvironmentsAndLaunchersPipeInByPropertyName()
    {
        const string environment = "[pscustomobject]@{ PSTypeName = 'Renku.PowerShell.GlobalEnvironment'; Id = 'ENV-CUSTOM'; Name = 'Custom'; Image = 'unrelated/image:9'; Port = 8888; Uid = 1000; Gid = 1000 }";
        string launchers = $"[pscustomobject]@{{ PSTypeName = 'Renku.PowerShell.SessionLauncher'; Id = '{LauncherB}'; EnvironmentId = 'ENV-CUSTOM'; ProjectId = 'P2' }}, [pscustomobject]@{{ Id = '{LauncherA}'; EnvironmentId = 'ENV-JUPYTER'; ProjectId = '{ProjectP}' }}";

        var byLauncher = Run($"@({environment}) + @({launchers}) | Get-RenkuSession -Kubeconfig $kubeconfig").ShouldSucceed();
        Assert.Equal(new[] { "s-charlie" }, Names(byLauncher));
        Assert.Equal("ENV-CUSTOM", byLauncher.Output[0].Properties["EnvironmentId"].Value);

        var byImage = Run("[pscustomobject]@{ Id = 'ENV-PY'; Image = 'docker.io/library/python:3.12' } | Get-RenkuSession -Kubeconfig $kubeconfig").ShouldSucceed();
        Assert.Equal(new[] { "s-delta" }, Names(byImage));

        var launchersOnly = Run($"{launchers} | Get-RenkuSession -Kubeconfig $kubeconfig -State Running").ShouldSucceed();
        Assert.Equal(new[] { "s-alpha" }, Names(launchersOnly));
        Assert.Equal("ENV-JUPYTER", launchersOnly.Output[0].Properties["EnvironmentId"].Value);
    }

    [Fact]
    public void UnrecognisedInputIsAnErrorAndListsNothing()
    {
        var result = Run("[pscustomobject]@{ Name = 'x' }, 42 | Get-RenkuSession -Kubeconfig $kubeconfig");
        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "UnsupportedSessionInput" + Fqid, "UnsupportedSessionInput" + Fqid }, result.ErrorIds);
        Assert.DoesNotContain(server.Requests, r => r.Path.Contains("amaltheasessions", StringComparison.Ordinal));
    }

    [Fact]
    public void ForbiddenIsATerminatingErrorWithAStableId()
    {
        server.Forbid("list", "amaltheasessions");
        var result = Run("Get-RenkuSession -Kubeconfig $kubeconfig");
        Assert.Equal(new[] { "KubernetesForbidden" + Fqid }, result.ErrorIds);
        ErrorRecord record = Assert.Single(result.Errors);
        Assert.Equal(ErrorCategory.PermissionDenied, record.CategoryInfo.Category);
        Assert.Contains("amaltheasessions", record.ErrorDetails.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongTokenIsUnauthorizedAndTheTokenIsNeverShown()
    {
        string wrong = server.WriteKubeconfig(Path.Combine(folder, "wrong"), token: "sekrit-token-789");
        var result = ModuleHost.Run("Get-RenkuSession -Kubeconfig $k -Verbose -Debug", new Dictionary<string, object?> { ["k"] = wrong });
        Assert.Equal(new[] { "KubernetesUnauthorized" + Fqid }, result.ErrorIds);
        Assert.DoesNotContain("sekrit-token-789", result.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void UnreachableBadAndMissingConfigurationsHaveTheirIds()
    {
        string unreachable = Path.Combine(folder, "unreachable");
        File.WriteAllText(unreachable, File.ReadAllText(kubeconfig).Replace(server.BaseUrl, $"http://127.0.0.1:{FreePort.Next()}", StringComparison.Ordinal));
        string garbage = Path.Combine(folder, "garbage");
        File.WriteAllText(garbage, "clusters: [ {{{ not yaml");

        Assert.Equal(new[] { "KubernetesUnreachable" + Fqid }, ModuleHost.Run("Get-RenkuSession -Kubeconfig $k", new Dictionary<string, object?> { ["k"] = unreachable }).ErrorIds);
        Assert.Equal(new[] { "KubernetesConfigurationInvalid" + Fqid }, ModuleHost.Run("Get-RenkuSession -Kubeconfig $k", new Dictionary<string, object?> { ["k"] = garbage }).ErrorIds);
        Assert.Equal(new[] { "KubernetesConfigurationInvalid" + Fqid }, Run("Get-RenkuSession -Kubeconfig \"$folder/absent\"").ErrorIds);
        Assert.Equal(new[] { "KubernetesConfigurationInvalid" + Fqid }, Run("Get-RenkuSession -Kubeconfig $kubeconfig -Context nope").ErrorIds);
    }

    [Fact]
    public void AClusterWithoutAmaltheaSaysSo()
    {
        server.AmaltheaInstalled = false;
        var result = Run("Get-RenkuSession -Kubeconfig $kubeconfig");
        Assert.Equal(new[] { "AmaltheaNotInstalled" + Fqid }, result.ErrorIds);
    }

    [Fact]
    public void ContextsAreCompletedFromTheKubeconfig()
    {
        string second = server.WriteKubeconfig(Path.Combine(folder, "two"), context: "prod-cluster");
        string merged = Path.Combine(folder, "merged");
        File.WriteAllText(merged, File.ReadAllText(second).Replace("- name: prod-cluster\n", "- name: prod-cluster\n  context:\n    cluster: fake-cluster\n    user: fake-user\n- name: staging\n", StringComparison.Ordinal));
        var result = ModuleHost.Run(
            "$line = \"Get-RenkuSession -Kubeconfig '$k' -Context pr\"; (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches | ForEach-Object { $_.CompletionText }",
            new Dictionary<string, object?> { ["k"] = merged }).ShouldSucceed();
        Assert.Equal(new[] { "prod-cluster" }, result.Output.Select(o => (string)o.BaseObject));
    }
}

[Collection(nameof(ProcessWideStateCollection))]
public sealed class GetRenkuSessionKubeconfigVariableTests
{
    [Fact]
    public async Task TheKubeconfigVariableIsHonoured()
    {
        string folder = Path.Combine(Path.GetTempPath(), "renku-ps-kubeenv-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        await using FakeKubernetesServer server = await FakeKubernetesServer.StartAsync();
        server.AddSession(new FakeSession { Name = "only-one" }, ns: "team");
        string kubeconfig = server.WriteKubeconfig(Path.Combine(folder, "config"), ns: "team");
        string? before = Environment.GetEnvironmentVariable("KUBECONFIG");
        try
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", kubeconfig);
            var result = ModuleHost.Run("Get-RenkuSession").ShouldSucceed();
            Assert.Equal("only-one", Assert.Single(result.Output).Properties["Name"].Value);
            Assert.Equal("team", result.Output[0].Properties["Namespace"].Value);
        }
        finally
        {
            Environment.SetEnvironmentVariable("KUBECONFIG", before);
            Directory.Delete(folder, recursive: true);
        }
    }
}
