using System.Diagnostics;
using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Tests;

/// <summary>
/// The shared parameters are ordinary static parameters, so what reads a cmdlet's parameters sees
/// them: Get-Command -Syntax, Get-Help -Full, proxy commands (no dynamicparam block) and
/// $PSDefaultParameterValues. One cmdlet per parameter group, and each use has an effect the
/// cmdlet shows (an error naming the value, a timeout), so a parameter that did not arrive fails.
/// </summary>
public sealed class StaticParameterTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("renku-static-parameters-").FullName;

    /// <summary>A cmdlet and one parameter of each group.</summary>
    public static IEnumerable<object[]> OnePerGroup() => new[]
    {
        new object[] { "Get-RenkuImageTag", "RegistryTimeout" },
        new object[] { "Get-RenkuSession", "Kubeconfig" },
        new object[] { "Get-RenkuImageUpgrade", "VersionRange" },
        new object[] { "Build-RenkuImage", "Port" },
        new object[] { "Get-RenkuImageUpgrade", "RecordDigest" },
        new object[] { "Test-RenkuImageCompliance", "Policy" },
        new object[] { "Get-RenkuGlobalEnvironment", "Connection" },
    };

    /// <summary>How a parameter reaches the cmdlet.</summary>
    public enum Given
    {
        OnTheCommandLine,
        AsADefaultParameterValue,
        ThroughAProxyCommand,
    }

    public static IEnumerable<object[]> Ways() => Enum.GetValues<Given>().Select(g => new object[] { g });

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [MemberData(nameof(OnePerGroup))]
    public void GetCommandShowsTheParameterAsAStaticOne(string cmdlet, string parameter)
    {
        var result = ModuleHost.Run(@"
            $command = Get-Command $cmdlet
            [pscustomobject]@{
                Syntax = (Get-Command $cmdlet -Syntax) -join ""`n""
                Dynamic = $command.Parameters[$parameter].IsDynamic
                AnyDynamic = @($command.Parameters.Values | Where-Object IsDynamic).Count
                Implements = $command.ImplementingType.GetInterfaces().Name -contains 'IDynamicParameters'
            }", new Dictionary<string, object?> { ["cmdlet"] = cmdlet, ["parameter"] = parameter }).ShouldSucceed();
        PSObject row = Assert.Single(result.Output);
        Assert.Contains($"[-{parameter} <", (string)row.Properties["Syntax"].Value, StringComparison.Ordinal);
        Assert.False((bool)row.Properties["Dynamic"].Value);
        Assert.Equal(0, (int)row.Properties["AnyDynamic"].Value);
        Assert.False((bool)row.Properties["Implements"].Value);
    }

    [Theory]
    [MemberData(nameof(OnePerGroup))]
    public void GetHelpFullDescribesTheParameter(string cmdlet, string parameter)
    {
        var result = ModuleHost.Run(@"
            $help = @((Get-Help $cmdlet -Full).parameters.parameter | Where-Object name -eq $parameter)
            [pscustomobject]@{ Count = $help.Count; Description = ($help.description | ForEach-Object Text) -join ' ' }",
            new Dictionary<string, object?> { ["cmdlet"] = cmdlet, ["parameter"] = parameter }).ShouldSucceed();
        PSObject row = Assert.Single(result.Output);
        Assert.Equal(1, (int)row.Properties["Count"].Value);
        Assert.False(string.IsNullOrWhiteSpace((string)row.Properties["Description"].Value));
    }

    [Theory]
    [MemberData(nameof(OnePerGroup))]
    public void AProxyCommandDeclaresTheParameterWithoutADynamicparamBlock(string cmdlet, string parameter)
    {
        var result = ModuleHost.Run(
            "[System.Management.Automation.ProxyCommand]::Create([System.Management.Automation.CommandMetadata]::new((Get-Command $cmdlet)))",
            new Dictionary<string, object?> { ["cmdlet"] = cmdlet }).ShouldSucceed();
        string proxy = (string)Assert.Single(result.Output).BaseObject;
        Assert.DoesNotContain("dynamicparam", proxy, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("${" + parameter + "}", proxy, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void RegistryAccessArrives(Given way)
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.NeverAnswer());
        var clock = Stopwatch.StartNew();
        var result = Invoke(way, "Get-RenkuImageTag", "RegistryTimeout", "00:00:02", "-Repository $image", new() { ["image"] = registry.Host + "/team/app" });
        AssertOnlyError(result, "RegistryTimeout");
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(30));
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void ClusterTargetArrives(Given way)
    {
        string kubeconfig = Path.Combine(folder, "garbage-kubeconfig");
        File.WriteAllText(kubeconfig, "{ this is: [not a kubeconfig");
        var result = Invoke(way, "Get-RenkuSession", "Kubeconfig", kubeconfig, string.Empty);
        AssertOnlyError(result, "KubernetesConfigurationInvalid");
        Assert.Equal(kubeconfig, TerminatingRecord(result).TargetObject);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void UpgradePolicyArrives(Given way)
    {
        var result = Invoke(way, "Get-RenkuImageUpgrade", "VersionRange", "[[2.0", "-InputObject 'registry.example/team/app:1.0'");
        AssertOnlyError(result, "InvalidVersionRange");
        Assert.Equal("[[2.0", TerminatingRecord(result).TargetObject);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void SessionSettingsArrive(Given way)
    {
        // A port Renku refuses asks for a verification and stops the build before anything is
        // built (and -WhatIf would stop it anyway): the refusal shows the port arrived.
        File.WriteAllText(Path.Combine(folder, "Dockerfile"), "FROM scratch\n");
        var result = Invoke(way, "Build-RenkuImage", "Port", "70000", "-Path $folder -WhatIf", new() { ["folder"] = folder });
        AssertOnlyError(result, "InvalidEnvironmentSettings");
        Assert.Contains("70000", result.Errors.Single().ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void RecordDigestArrives(Given way)
    {
        string record = Path.Combine(folder, "digests.json");
        File.WriteAllText(record, "not json");
        var result = Invoke(way, "Get-RenkuImageUpgrade", "RecordDigest", record, "-InputObject 'registry.example/team/app:1.0'");
        AssertOnlyError(result, "InvalidDigestRecord");
        Assert.Equal(record, TerminatingRecord(result).TargetObject);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void CompliancePolicyArrives(Given way)
    {
        string policy = Path.Combine(folder, "missing-policy.psd1");
        var result = Invoke(way, "Test-RenkuImageCompliance", "Policy", policy, "-Image registry.example/team/app:1.0");
        AssertOnlyError(result, "InvalidCompliancePolicy");
        Assert.Contains("missing-policy.psd1", TerminatingRecord(result).ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Ways))]
    public void TheConnectionArrives(Given way)
    {
        // Connected to both, the second is current: only -Connection reads the first.
        using RenkuTestServer here = RenkuTestServer.Start();
        using RenkuTestServer there = RenkuTestServer.Start();
        here.Data.AddEnvironment("Here", "registry.example/team/app:1.0");
        there.Data.AddEnvironment("There", "registry.example/team/app:1.0");
        var variables = new Dictionary<string, object?>
        {
            ["hereUri"] = here.Uri,
            ["hereToken"] = Secure(here.Keycloak.IssueAccessToken("admin")),
            ["thereUri"] = there.Uri,
            ["thereToken"] = Secure(there.Keycloak.IssueAccessToken("admin")),
        };
        string connect = "$connection = Connect-RenkuInstance -Uri $hereUri -AccessToken $hereToken; Connect-RenkuInstance -Uri $thereUri -AccessToken $thereToken | Out-Null; ";
        var result = Invoke(way, "Get-RenkuGlobalEnvironment", "Connection", "$connection", "| ForEach-Object Name", variables, connect).ShouldSucceed();
        Assert.Equal("Here", Assert.Single(result.Output).BaseObject);
    }

    /// <summary>Runs <paramref name="cmdlet"/> with <paramref name="rest"/>, giving -<paramref name="parameter"/> <paramref name="value"/> the way asked.</summary>
    /// <param name="value">The value: a string, or the PowerShell expression given (a variable) when <paramref name="before"/> sets it.</param>
    private static PowerShellResult Invoke(Given way, string cmdlet, string parameter, string value, string rest, Dictionary<string, object?>? variables = null, string? before = null)
    {
        variables ??= new();
        string expression = value;
        if (before is null)
        {
            variables["value"] = value;
            expression = "$value";
        }

        variables["key"] = cmdlet + ":" + parameter;
        string script = before + way switch
        {
            Given.OnTheCommandLine => $"{cmdlet} -{parameter} {expression} {rest}",
            Given.AsADefaultParameterValue => $"$PSDefaultParameterValues[$key] = {expression}; {cmdlet} {rest}",
            Given.ThroughAProxyCommand =>
                $"$proxy = [System.Management.Automation.ProxyCommand]::Create([System.Management.Automation.CommandMetadata]::new((Get-Command {cmdlet}))); " +
                $"${{function:Invoke-Proxy}} = [scriptblock]::Create($proxy); Invoke-Proxy -{parameter} {expression} {rest}",
            _ => throw new ArgumentOutOfRangeException(nameof(way)),
        };
        return ModuleHost.Run(script, variables, TimeSpan.FromSeconds(90));
    }

    private static SecureString Secure(string text)
    {
        var secure = new SecureString();
        foreach (char c in text)
        {
            secure.AppendChar(c);
        }

        return secure;
    }

    private static void AssertOnlyError(PowerShellResult result, string id)
    {
        string all = string.Join("\n", result.Errors.Select(e => e.FullyQualifiedErrorId + ": " + e)) + "\n" + result.Terminating?.Message;
        Assert.True(result.ErrorIds.Count == 1 && result.ErrorIds[0].StartsWith(id + ",", StringComparison.Ordinal), $"Expected only {id}; got:\n{all}");
    }

    private static ErrorRecord TerminatingRecord(PowerShellResult result) =>
        result.Terminating is IContainsErrorRecord terminating ? terminating.ErrorRecord : result.Errors.Single();
}
