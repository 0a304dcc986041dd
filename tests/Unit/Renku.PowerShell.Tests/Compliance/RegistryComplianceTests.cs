using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>Static checks of images in a real loopback registry and in archives, without a Docker engine.</summary>
public sealed class RegistryComplianceTests : IDisposable
{
    private const string CommandSuffix = ",Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand";
    private readonly Lazy<RegistryServer> registry = new(() =>
    {
        RegistryServer server = RegistryServer.Start();
        using var pusher = new RegistryPusher(server.BaseUri);
        TestImage compliant = ComplianceImages.Session();
        pusher.Push("team/lab", "1.0.0", compliant);
        pusher.Push("team/lab", "latest", compliant);
        pusher.Push("team/alpine", "1.0.0", ComplianceImages.Session(osId: "alpine", osVersion: "3.20"));
        pusher.Push("team/arm", "1.0.0", ComplianceImages.Session(platform: "linux/arm64"));
        pusher.Push("team/big", "1.0.0", ComplianceImages.Session(padding: 64 * 1024));
        pusher.Push("team/jovyan", "1.0.0", ComplianceImages.Session(osId: "debian", osVersion: "12", userLine: "jovyan:x:1000:100:Jupyter:/home/jovyan:/bin/bash", groupLine: "users:x:100:", user: "jovyan"));
        pusher.Push("team/root", "1.0.0", ComplianceImages.Session(user: null));
        for (int i = 0; i < 8; i++)
        {
            // One system layer, a different top layer each.
            pusher.Push($"team/fleet{i}", "1.0.0", ComplianceImages.Session(seed: i + 1));
        }

        return server;
    });

    private readonly List<string> cleanup = new();

    public void Dispose()
    {
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }

        foreach (string path in cleanup)
        {
            if (Directory.Exists(path))
            {
                Directory.Delete(path, recursive: true);
            }
            else if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private string Ref(string repositoryAndTag) => registry.Value.Host + "/" + repositoryAndTag;

    private static PSObject Result(PSObject report, string ruleId) =>
        ((System.Collections.IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject).Single(r => (string)r.Properties["RuleId"].Value == ruleId);

    private static string Outcome(PSObject report, string ruleId) => Result(report, ruleId).Properties["Outcome"].Value.ToString()!;

    [SkippableTheory]
    [InlineData("", 8)]
    [InlineData(" -ThrottleLimit 2", 2)]
    public void ImagesPipedInAreCheckedAtOnceAndReadTheirCommonLayerOnce(string throttle, int expectedInFlight)
    {
        RegistryServer server = registry.Value;
        int inFlight = 0;
        int most = 0;
        // The first manifest requests are held until as many as the limit allows are in flight at
        // once (or 30 s have passed, which the count below then reports), so the test does not
        // depend on how quickly a loaded machine starts the checks. Later ones are held briefly,
        // so that more at once than the limit would be seen.
        var together = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using FaultProxy proxy = FaultProxy.Start(server.BaseUri, async f =>
        {
            if (f.IsManifest)
            {
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref most, now);
                try
                {
                    if (now >= expectedInFlight)
                    {
                        together.TrySetResult();
                    }

                    try
                    {
                        await together.Task.WaitAsync(TimeSpan.FromSeconds(30), f.Stopping);
                    }
                    catch (TimeoutException)
                    {
                        // Reported by the assertion on the count below.
                    }

                    await Task.Delay(150, f.Stopping);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
            }

            return false;
        });
        string[] images = Enumerable.Range(0, 8).Select(i => $"{proxy.Host}/team/fleet{i}:1.0.0").ToArray();

        var result = ModuleHost.Run("$images | Test-RenkuImageCompliance" + throttle, new Dictionary<string, object?> { ["images"] = images }, TimeSpan.FromMinutes(3)).ShouldSucceed();

        Assert.Equal(images, result.Output.Select(o => (string)o.Properties["Image"].Value).ToArray());
        Assert.All(result.Output, report => Assert.True((bool)report.Properties["Passed"].Value));
        Assert.True(together.Task.IsCompleted, $"the checks never had {expectedInFlight} manifest requests in flight at once (at most {most})");
        Assert.Equal(expectedInFlight, most);
        var layerGets = proxy.Requests.Where(r => r.Method == "GET" && r.PathAndQuery.Contains("/blobs/", StringComparison.Ordinal))
            .GroupBy(r => r.PathAndQuery[(r.PathAndQuery.IndexOf("/blobs/", StringComparison.Ordinal) + 7)..])
            .ToList();

        // Per image a config and a top layer; the system layer they share is read once.
        Assert.Equal(8 + 8 + 1, layerGets.Count);
        Assert.All(layerGets, g => Assert.Single(g));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    [SkippableFact]
    public void ImagesPipedInAreCheckedFromTheRegistry()
    {
        string[] images = { Ref("team/lab:1.0.0"), Ref("team/lab:latest"), Ref("team/alpine:1.0.0"), Ref("team/arm:1.0.0"), Ref("team/jovyan:1.0.0"), Ref("team/root:1.0.0") };
        var result = ModuleHost.Run("$images | Test-RenkuImageCompliance", new Dictionary<string, object?> { ["images"] = images }, TimeSpan.FromMinutes(3)).ShouldSucceed();
        Assert.Equal(images.Length, result.Output.Count);
        Assert.Equal(images, result.Output.Select(o => (string)o.Properties["Image"].Value).ToArray());

        PSObject compliant = result.Output[0];
        Assert.True((bool)compliant.Properties["Passed"].Value);
        Assert.Equal("Registry", compliant.Properties["Source"].Value.ToString());
        Assert.StartsWith("sha256:", (string)compliant.Properties["Digest"].Value, StringComparison.Ordinal);
        Assert.Equal("Ubuntu 24.04", compliant.Properties["Distribution"].Value);
        foreach (string rule in new[] { "RKC001", "RKC002", "RKC003", "RKC004", "RKC005", "RKC007", "RKC008", "RKC012", "RKC013", "RKC014", "RKC015", "RKC016", "RKC017" })
        {
            Assert.Equal("Pass", Outcome(compliant, rule));
        }

        Assert.Equal("Fail", Outcome(result.Output[1], "RKC012"));
        Assert.Equal("Fail", Outcome(result.Output[2], "RKC001"));
        Assert.Equal("Fail", Outcome(result.Output[3], "RKC014"));
        Assert.Equal("Fail", Outcome(result.Output[4], "RKC003"));
        Assert.Equal("Fail", Outcome(result.Output[4], "RKC004"));
        Assert.Equal("Fail", Outcome(result.Output[5], "RKC002"));
    }

    [SkippableFact]
    public void ThePolicySizeThresholdWarns()
    {
        var result = ModuleHost.Run("Test-RenkuImageCompliance $image -Policy @{ MaxCompressedSize = '16KB' } -FailOn Warning", new Dictionary<string, object?> { ["image"] = Ref("team/big:1.0.0") });
        PSObject report = Assert.Single(result.Output);
        Assert.Equal("Fail", Outcome(report, "RKC015"));
        Assert.Equal("Warning", Result(report, "RKC015").Properties["Severity"].Value.ToString());
        Assert.Equal(new[] { "ComplianceFailed" + CommandSuffix }, result.ErrorIds);
    }

    [SkippableFact]
    public void AMissingTagIsAnErrorForThatImage()
    {
        var result = ModuleHost.Run("Test-RenkuImageCompliance $images", new Dictionary<string, object?> { ["images"] = new[] { Ref("team/lab:9.9.9"), Ref("team/lab:1.0.0") } });
        Assert.Single(result.Output);
        Assert.Equal(new[] { "ImageNotFound" + CommandSuffix }, result.ErrorIds);
    }

    [SkippableFact]
    public void APrivateImageIsReportedAsNotPublicAndItsContentNeedsCredentials()
    {
        using RegistryServer secured = RegistryServer.WithBasicAuth("alice", "s3cret-pass");
        using (var pusher = new RegistryPusher(secured.BaseUri, "alice", "s3cret-pass"))
        {
            pusher.Push("team/private", "1.0.0", ComplianceImages.Session());
        }

        string image = secured.Host + "/team/private:1.0.0";
        // Without credentials the refusal is the answer: a failing report, not an error.
        var anonymous = ModuleHost.Run("Test-RenkuImageCompliance $image", new Dictionary<string, object?> { ["image"] = image }).ShouldSucceed();
        PSObject refused = Assert.Single(anonymous.Output);
        Assert.False((bool)refused.Properties["Passed"].Value);
        Assert.Null(refused.Properties["Digest"].Value);
        Assert.Equal("Fail", Outcome(refused, "RKC013"));
        Assert.Contains("Private", (string)Result(refused, "RKC013").Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.Equal("Skip", Outcome(refused, "RKC001"));
        Assert.Contains("-Credential", (string)Result(refused, "RKC001").Properties["Message"].Value, StringComparison.Ordinal);
        Assert.Equal("Pass", Outcome(refused, "RKC012"));

        // A wrong credential is still an error: the image exists and the caller meant to read it.
        var wrongPassword = new SecureString();
        foreach (char c in "not-the-password")
        {
            wrongPassword.AppendChar(c);
        }

        var wrong = ModuleHost.Run("Test-RenkuImageCompliance $image -Credential $credential", new Dictionary<string, object?> { ["image"] = image, ["credential"] = new PSCredential("alice", wrongPassword) });
        Assert.Empty(wrong.Output);
        Assert.Equal(new[] { "RegistryUnauthorized" + CommandSuffix }, wrong.ErrorIds);

        var password = new SecureString();
        foreach (char c in "s3cret-pass")
        {
            password.AppendChar(c);
        }

        var withCredential = ModuleHost.Run("Test-RenkuImageCompliance $image -Credential $credential", new Dictionary<string, object?> { ["image"] = image, ["credential"] = new PSCredential("alice", password) }).ShouldSucceed();
        PSObject report = Assert.Single(withCredential.Output);
        Assert.Equal("Fail", Outcome(report, "RKC013"));
        Assert.Contains("Private", (string)Result(report, "RKC013").Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pass", withCredential.AllText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ArchivesAreCheckedWithoutARegistry()
    {
        string layout = Path.Combine(Path.GetTempPath(), "renku-ps-layout-" + Guid.NewGuid().ToString("N")[..8]);
        string broken = Path.Combine(Path.GetTempPath(), "renku-ps-broken-" + Guid.NewGuid().ToString("N")[..8] + ".tar");
        cleanup.Add(layout);
        cleanup.Add(broken);
        ComplianceImages.Session(osId: "debian", osVersion: "12").WriteLayout(layout, "lab:1.0.0");
        File.WriteAllBytes(broken, new byte[] { 1, 2, 3, 4, 5 });

        var result = ModuleHost.Run("Test-RenkuImageCompliance -Path $layout", new Dictionary<string, object?> { ["layout"] = layout }).ShouldSucceed();
        PSObject report = Assert.Single(result.Output);
        Assert.Equal("Archive", report.Properties["Source"].Value.ToString());
        Assert.Equal("Pass", Outcome(report, "RKC001"));
        Assert.Equal("Pass", Outcome(report, "RKC003"));
        Assert.Equal("Skip", Outcome(report, "RKC013"));

        var bad = ModuleHost.Run("Test-RenkuImageCompliance -Path $broken", new Dictionary<string, object?> { ["broken"] = broken });
        Assert.Empty(bad.Output);
        Assert.Equal(new[] { "InvalidImageArchive" + CommandSuffix }, bad.ErrorIds);

        var missing = ModuleHost.Run("Test-RenkuImageCompliance -Path $missing", new Dictionary<string, object?> { ["missing"] = broken + ".nothing" });
        Assert.Empty(missing.Output);
        Assert.Equal(new[] { "ImageArchiveNotFound" + CommandSuffix }, missing.ErrorIds);

        var withRuntime = ModuleHost.Run("Test-RenkuImageCompliance -Path $layout -Runtime Docker", new Dictionary<string, object?> { ["layout"] = layout });
        Assert.Empty(withRuntime.Output);
        Assert.Equal(new[] { "InvalidEnvironmentSettings" + CommandSuffix }, withRuntime.ErrorIds);
    }
}
