using System.Management.Automation;
using System.Security;

using Renku.PowerShell.TestServers;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

/// <summary>
/// Test-RenkuImageCompliance connected to a (fake) Renku: RKC013 weighs Renku's own pull check
/// (GET /sessions/images) beside the anonymous request to a real loopback registry.
/// </summary>
public sealed class PlatformPullCheckTests : IDisposable
{
    private readonly RenkuTestServer renku = RenkuTestServer.Start();
    private readonly Lazy<RegistryServer> registry = new(() =>
    {
        RegistryServer server = RegistryServer.Start();
        using var pusher = new RegistryPusher(server.BaseUri);
        pusher.Push("team/lab", "1.0.0", ComplianceImages.Session());
        return server;
    });

    public void Dispose()
    {
        // Everything the tests started goes first, so a failed contract check leaves nothing behind;
        // the check then also sees any exchange that came in late.
        renku.Dispose();
        if (registry.IsValueCreated)
        {
            registry.Value.Dispose();
        }

        Assert.Empty(renku.Contract.Violations);
    }

    [SkippableTheory]
    [InlineData(false, null, "Fail", "Renku itself cannot pull")]
    [InlineData(true, null, "Pass", "Renku's own check agrees (it pulls anonymously)")]
    [InlineData(true, "Team Harbor", "Pass", "which anonymous pulls do not need")]
    public void ConnectedChecksAskRenkuToo(bool accessible, string? provider, string outcome, string fragment)
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        renku.Data.SetImageCheck(image, accessible, provider, "linux/amd64");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Test-RenkuImageCompliance $image", image).ShouldSucceed();

        PSObject rule = Rkc013(Assert.Single(result.Output));
        Assert.Equal(outcome, rule.Properties["Outcome"].Value.ToString());
        Assert.Contains(fragment, (string)rule.Properties["Message"].Value, StringComparison.Ordinal);
        string evidence = (string)rule.Properties["Evidence"].Value;
        Assert.Contains("anonymous pull: Public", evidence, StringComparison.Ordinal);
        Assert.Contains(provider is null ? "without a registry connection" : "(Team Harbor, connected)", evidence, StringComparison.Ordinal);
        Assert.Contains(renku.Data.Requests, r => r.StartsWith("GET /sessions/images -> 200", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void WithoutAConnectionOnlyTheAnonymousRequestIsMade()
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        var result = Run("Test-RenkuImageCompliance $image", image).ShouldSucceed();
        PSObject rule = Rkc013(Assert.Single(result.Output));
        Assert.Equal("Pass", rule.Properties["Outcome"].Value.ToString());
        Assert.Contains("Renku's check: not asked (no Renku connection)", (string)rule.Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.DoesNotContain(renku.Data.Requests, r => r.Contains("/sessions/images", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void TheReportSaysWhenRenkusAnswerChangedAVerdict(bool accessible, bool changed)
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        renku.Data.SetImageCheck(image, accessible, null, "linux/amd64");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Test-RenkuImageCompliance $image", image).ShouldSucceed();

        PSObject report = Assert.Single(result.Output);
        Assert.Equal(changed, (bool)report.Properties["RenkuPullCheckChanged"].Value);
        Assert.NotNull(report.Properties["RenkuPullCheck"].Value);
        PSObject rule = Rkc013(report);
        Assert.Equal(changed, (bool)rule.Properties["ChangedByRenkuPullCheck"].Value);
        Assert.Equal(accessible ? "Pass" : "Fail", rule.Properties["Outcome"].Value.ToString());
        var others = ((System.Collections.IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject).Where(r => (string)r.Properties["RuleId"].Value != "RKC013");
        Assert.All(others, r => Assert.False((bool)r.Properties["ChangedByRenkuPullCheck"].Value));
    }

    [SkippableFact]
    public void SkipRenkuPullCheckChecksWithoutAskingRenkuThoughConnected()
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        renku.Data.SetImageCheck(image, false, null, "linux/amd64");
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Test-RenkuImageCompliance $image -SkipRenkuPullCheck", image).ShouldSucceed();

        PSObject report = Assert.Single(result.Output);
        PSObject rule = Rkc013(report);
        Assert.Equal("Pass", rule.Properties["Outcome"].Value.ToString());
        Assert.Contains("Renku's check: not asked (skipped on request)", (string)rule.Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.False((bool)report.Properties["RenkuPullCheckChanged"].Value);
        Assert.Null(report.Properties["RenkuPullCheck"].Value);
        Assert.DoesNotContain(renku.Data.Requests, r => r.Contains("/sessions/images", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void ConnectionNullIsRefusedNotReadAsTheCurrentConnection()
    {
        string image = registry.Value.Host + "/team/lab:1.0.0";
        var result = Run("Connect-RenkuInstance -Uri $uri -AccessToken $token | Out-Null; Test-RenkuImageCompliance $image -Connection $null", image);

        Assert.Empty(result.Output);
        ErrorRecord refused = result.Terminating is IContainsErrorRecord terminating ? terminating.ErrorRecord : Assert.Single(result.Errors);
        Assert.Equal("ParameterArgumentValidationError,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand", refused.FullyQualifiedErrorId);
        Assert.DoesNotContain(renku.Data.Requests, r => r.Contains("/sessions/images", StringComparison.Ordinal));
    }

    private static PSObject Rkc013(PSObject report) =>
        ((System.Collections.IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject).Single(r => (string)r.Properties["RuleId"].Value == "RKC013");

    private PowerShellResult Run(string script, string image)
    {
        var secure = new SecureString();
        foreach (char c in renku.Keycloak.IssueAccessToken("jane"))
        {
            secure.AppendChar(c);
        }

        return ModuleHost.Run(script, new Dictionary<string, object?> { ["uri"] = renku.Uri, ["token"] = secure, ["image"] = image }, TimeSpan.FromMinutes(2));
    }
}
