using System.Collections;
using System.Management.Automation;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Reports;

/// <summary>
/// Resource pools read from the fake Renku (every exchange checked against crc_api.spec.yaml) and
/// the platform fit of environments: an amd64-only image launched on an arm64 pool fails RKC018
/// and shows in the environment report; a multi-platform image and the default pool do not.
/// </summary>
public sealed class PlatformFitTests : FakeRenkuTests
{
    private const string Fqid = ",Renku.PowerShell.Commands.Pools.GetRenkuResourcePoolCommand";

    public PlatformFitTests()
        : base("renku-ps-platform-")
    {
    }

    private (int Amd, int Arm) Pools()
    {
        (_, int[] amd) = renku.Data.AddResourcePool("Default", "linux/amd64", isDefault: true, isPublic: true, cpuLimitFactor: null, "small", "medium");
        (_, int[] arm) = renku.Data.AddResourcePool("ARM nodes", "linux/arm64", isDefault: false, isPublic: true, cpuLimitFactor: 2, "arm-small");
        renku.Data.AddResourcePool("Private", "linux/amd64", isDefault: false, isPublic: false, cpuLimitFactor: null, "large");
        return (amd[0], arm[0]);
    }

    [Fact]
    public void ResourcePoolsAreTypedWithTheirClassesAndPlatform()
    {
        Pools();
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuResourcePool").ShouldSucceed();
        Assert.Equal(3, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal("Renku.PowerShell.ResourcePool", o.TypeNames[0]));
        PSObject arm = result.Output.Single(o => (string)o.Properties["Name"].Value == "ARM nodes");
        Assert.Equal("linux/arm64", arm.Properties["Platform"].Value);
        Assert.Equal(2.0, arm.Properties["CpuLimitFactor"].Value);
        Assert.Equal(false, arm.Properties["IsDefault"].Value);
        Assert.Equal(true, arm.Properties["IsPublic"].Value);
        Assert.Equal(100.0, PSObject.AsPSObject(arm.Properties["Quota"].Value).Properties["Cpu"].Value);
        PSObject cls = PSObject.AsPSObject(Assert.Single(((IEnumerable)arm.Properties["Classes"].Value).Cast<object>()));
        Assert.Equal("Renku.PowerShell.ResourceClass", cls.TypeNames[0]);
        Assert.Equal("linux/arm64", cls.Properties["Platform"].Value);
        Assert.Equal("ARM nodes", cls.Properties["PoolName"].Value);
        Assert.Equal(true, cls.Properties["IsDefault"].Value);

        var filtered = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuResourcePool -Platform linux/arm64; Get-RenkuResourcePool -Name 'Def*'; Get-RenkuResourcePool -Id 2").ShouldSucceed();
        Assert.Equal(new[] { "ARM nodes", "Default", "ARM nodes" }, filtered.Output.Select(o => (string)o.Properties["Name"].Value).ToArray());

        // A user who is not an admin sees only the public pools; an unknown id is an error of its own.
        Assert.Equal(2, Run("Connect-RenkuInstance -Uri $uri -AccessToken $token -WarningAction SilentlyContinue | Out-Null; Get-RenkuResourcePool", user: "jane").ShouldSucceed().Output.Count);
        var missing = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuResourcePool -Id 42");
        Assert.Equal(new[] { "ResourcePoolNotFound" + Fqid }, missing.ErrorIds.ToArray());
        Assert.True(renku.Contract.ResponsesChecked > 0);
    }

    [SkippableFact]
    public void AnImageWithoutThePoolsPlatformIsAFindingOfTheCheckAndTheReport()
    {
        RegistryServer registry = StartRegistry();
        TestImage amd = ComplianceImages.Session(seed: 11);
        TestImage arm = ComplianceImages.Session(platform: "linux/arm64", seed: 12);
        using (var pusher = new RegistryPusher(registry.BaseUri))
        {
            pusher.Push("team/amd", "1.0.0", amd);
            pusher.PushIndex("team/multi", "1.0.0", new[] { amd, arm }, TestImage.Index(new[] { amd, arm }));
        }

        string amdImage = registry.Host + "/team/amd:1.0.0";
        string multiImage = registry.Host + "/team/multi:1.0.0";
        renku.Data.SetImageCheck(amdImage, accessible: true, null, "linux/amd64");
        renku.Data.SetImageCheck(multiImage, accessible: true, null, "linux/amd64", "linux/arm64");
        (_, int armClass) = Pools();
        string amdOnly = renku.Data.AddEnvironment("Amd only", amdImage, port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work");
        string multi = renku.Data.AddEnvironment("Multi", multiImage, port: 8888, defaultUrl: "/", workingDirectory: "/home/renku/work", mountDirectory: "/home/renku/work");
        renku.Data.SetLauncherResourceClass(renku.Data.AddLauncher("On ARM", amdOnly), armClass);
        renku.Data.SetLauncherResourceClass(renku.Data.AddLauncher("By default", amdOnly), null);
        renku.Data.SetLauncherResourceClass(renku.Data.AddLauncher("Multi on ARM", multi), armClass);

        var report = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport").ShouldSucceed();
        PSObject amdRow = report.Output.Single(o => (string)o.Properties["Name"].Value == "Amd only");
        Assert.Equal("Mismatch", amdRow.Properties["PlatformFit"].Value);
        Assert.Contains("RKC018", Strings(amdRow.Properties["FailingRules"].Value));
        Assert.Contains(Strings(amdRow.Properties["Findings"].Value), f => f.Contains("launcher On ARM runs on linux/arm64 (pool ARM nodes)", StringComparison.Ordinal));
        Assert.DoesNotContain(Strings(amdRow.Properties["Findings"].Value), f => f.Contains("By default", StringComparison.Ordinal));
        PSObject multiRow = report.Output.Single(o => (string)o.Properties["Name"].Value == "Multi");
        Assert.Equal("Fits", multiRow.Properties["PlatformFit"].Value);
        Assert.DoesNotContain("RKC018", Strings(multiRow.Properties["FailingRules"].Value));

        var checks = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuGlobalEnvironment | Test-RenkuImageCompliance").ShouldSucceed();
        Assert.Equal("Fail", Rule(checks, amdImage, "RKC018"));
        Assert.Equal("Pass", Rule(checks, multiImage, "RKC018"));

        // Without a connection there is nothing to judge the platform by.
        var offline = Run("Test-RenkuImageCompliance -Image $image -EnvironmentId $id", extra: new() { ["image"] = amdImage, ["id"] = amdOnly }).ShouldSucceed();
        Assert.Equal("Skip", Rule(offline, amdImage, "RKC018"));

        string page = Path.Combine(folder, "environments.html");
        Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Get-RenkuEnvironmentReport | Export-RenkuEnvironmentReport -Path $page", extra: new() { ["page"] = page }).ShouldSucceed();
        string html = File.ReadAllText(page);
        Assert.Contains(">Platform</button></th>", html, StringComparison.Ordinal);
        Assert.Contains("Mismatch: On ARM on linux/arm64", html, StringComparison.Ordinal);
        Assert.Contains("pool ARM nodes on linux/arm64", html, StringComparison.Ordinal);
    }

    private static string Rule(PowerShellResult result, string image, string id)
    {
        PSObject report = result.Output.Single(o => ((string)o.Properties["Image"].Value).EndsWith(image.Split('/', 2)[1], StringComparison.Ordinal));
        return ((IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject)
            .Single(r => (string)r.Properties["RuleId"].Value == id).Properties["Outcome"].Value.ToString()!;
    }

    private static string[] Strings(object? value) => ((IEnumerable)value!).Cast<object>().Select(o => o.ToString()!).ToArray();
}
