using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Upgrades;

/// <summary>
/// The gate on the candidate: the audit checks each candidate image (never the current one) under
/// its environment's settings; Update-RenkuImageTag -CheckCandidate applies only those that pass;
/// Test-RenkuImageCompliance checks a row's candidate only when asked to.
/// </summary>
public sealed class CandidateGateTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("renku-ps-candidate-gate-").FullName;
    private RegistryServer? registry;

    public void Dispose()
    {
        registry?.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    [SkippableFact]
    public void TheAuditChecksTheCandidateNotTheCurrentImage()
    {
        (string good, string bad) = Seed();

        var result = Run("Get-RenkuImageUpgrade $good, $bad -CheckCandidate", new() { ["good"] = good + ":1.0.0", ["bad"] = bad + ":1.0.0" }).ShouldSucceed();

        Assert.Equal(2, result.Output.Count);
        Assert.True((bool)result.Output[0].Properties["CandidatePassed"].Value);
        Assert.False((bool)result.Output[1].Properties["CandidatePassed"].Value);
        Assert.Contains("RKC", string.Join(",", (IEnumerable<string>)result.Output[1].Properties["CandidateFailedRules"].Value), StringComparison.Ordinal);
        Assert.Equal(bad + ":1.1.0", result.Output[1].Properties["CandidateImage"].Value);
        Assert.Contains(result.Warnings, w => w.Contains(bad + ":1.1.0", StringComparison.Ordinal));
    }

    [SkippableFact]
    public void UpdateAppliesOnlyCandidatesThatPass()
    {
        (string good, string bad) = Seed();
        string file = Path.Combine(directory, "environments.yaml");
        string text = $"environments:\n  - name: Good\n    container_image: {good}:1.0.0\n  - name: Bad   # moves to an image that runs as root\n    container_image: {bad}:1.0.0\n";
        File.WriteAllText(file, text);

        var result = Run("Get-RenkuImageUpgrade -Path $file | Update-RenkuImageTag -CheckCandidate -Confirm:$false", new() { ["file"] = file }).ShouldSucceed();

        Assert.Equal(2, result.Output.Count);
        var applied = Assert.Single(result.Output, o => (bool)o.Properties["Applied"].Value);
        Assert.Equal("Good", applied.Properties["EnvironmentName"].Value);
        var left = Assert.Single(result.Output, o => !(bool)o.Properties["Applied"].Value);
        Assert.Equal("Bad", left.Properties["EnvironmentName"].Value);
        Assert.NotEmpty((IEnumerable<string>)left.Properties["FailedRules"].Value);
        Assert.Contains("fails Renku's rules", (string)left.Properties["Reason"].Value, StringComparison.Ordinal);
        Assert.Equal(text.Replace(good + ":1.0.0", good + ":1.1.0", StringComparison.Ordinal), File.ReadAllText(file));
    }

    [SkippableFact]
    public void PipedRowsAreCheckedByTheirCandidateOnlyWhenAsked()
    {
        (_, string bad) = Seed();
        var variables = new Dictionary<string, object?> { ["bad"] = bad + ":1.0.0" };

        var refused = Run("Get-RenkuImageUpgrade $bad | Test-RenkuImageCompliance", variables);
        Assert.Equal(new[] { "InvalidUpgradeInput,Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand" }, refused.ErrorIds);
        Assert.Empty(refused.Output);

        var checkedCandidate = Run("Get-RenkuImageUpgrade $bad | Test-RenkuImageCompliance -Candidate", variables).ShouldSucceed();
        var report = Assert.Single(checkedCandidate.Output);
        Assert.Equal(bad + ":1.1.0", report.Properties["Image"].Value);
        Assert.False((bool)report.Properties["Passed"].Value);

        var current = Run("(Get-RenkuImageUpgrade $bad).Image | Test-RenkuImageCompliance", variables).ShouldSucceed();
        Assert.True((bool)Assert.Single(current.Output).Properties["Passed"].Value);
    }

    /// <summary>Two repositories: one whose 1.1.0 is a session image like 1.0.0, one whose 1.1.0 runs as root.</summary>
    private (string Good, string Bad) Seed()
    {
        Requires.Part(Requires.Which("docker-registry") is not null, "docker-registry", "install it with 'apt-get install docker-registry'");
        registry = RegistryServer.Start();
        using var pusher = new RegistryPusher(registry.BaseUri);
        pusher.Push("team/good", "1.0.0", ComplianceImages.Session(seed: 11));
        pusher.Push("team/good", "1.1.0", ComplianceImages.Session(seed: 12));
        pusher.Push("team/bad", "1.0.0", ComplianceImages.Session(seed: 13));
        pusher.Push("team/bad", "1.1.0", ComplianceImages.Session(user: null, seed: 14));
        return (registry.Host + "/team/good", registry.Host + "/team/bad");
    }

    private static PowerShellResult Run(string script, Dictionary<string, object?> variables) => ModuleHost.Run(script, variables);
}
