using System.Collections;

using Xunit;
using Renku.PowerShell.Compliance;

namespace Renku.PowerShell.Engine.Tests.Compliance;

public class CompliancePolicyTests
{
    [Fact]
    public void TheDefaultEncodesRenkusRules()
    {
        CompliancePolicy policy = CompliancePolicy.Default;
        Assert.Equal(new[] { "debian", "ubuntu" }, policy.AllowedDistributions);
        Assert.Equal(1000, policy.Uid);
        Assert.Equal(1000, policy.Gid);
        Assert.Equal("renku", policy.UserName);
        Assert.Equal("linux/amd64", Assert.Single(policy.RequiredPlatforms).ToString());
        Assert.All(ComplianceEvaluator.Rules, r => Assert.True(policy.IsEnabled(r)));
    }

    [Fact]
    public void AHashtableOverridesParts()
    {
        var values = new Hashtable
        {
            ["name"] = "team",
            ["Rules"] = new Hashtable { ["rkc004"] = "Error", ["TagIsPinned"] = "Off" },
            ["AllowedDistributions"] = "Ubuntu",
            ["MaxCompressedSize"] = "1.5GB",
            ["RequiredPlatforms"] = new object[] { "linux/amd64", "linux/arm64" },
            ["AllowedRegistries"] = new[] { "ghcr.io" },
        };
        CompliancePolicy policy = CompliancePolicy.FromDictionary(values);
        Assert.Equal("team", policy.Name);
        ComplianceRule name = ComplianceEvaluator.Rules.Single(r => r.Id == "RKC004");
        Assert.Equal(ComplianceSeverity.Error, policy.SeverityOf(name));
        Assert.False(policy.IsEnabled(ComplianceEvaluator.Rules.Single(r => r.Id == "RKC012")));
        Assert.Equal(new[] { "ubuntu" }, policy.AllowedDistributions);
        Assert.Equal((long)(1.5 * 1024 * 1024 * 1024), policy.MaxCompressedSize);
        Assert.Equal(2, policy.RequiredPlatforms.Count);
        Assert.Equal(1000, policy.Uid);
    }

    [Theory]
    [InlineData("Colour", "blue", "unknown setting 'Colour'")]
    [InlineData("Uid", "-1", "'Uid'")]
    [InlineData("MaxCompressedSize", "huge", "'MaxCompressedSize'")]
    [InlineData("RequiredPlatforms", "amd64", "'RequiredPlatforms'")]
    [InlineData("AllowedDistributions", null, "'AllowedDistributions'")]
    public void BadValuesSayWhatIsWrong(string key, string? value, string expected)
    {
        var ex = Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.FromDictionary(new Hashtable { [key] = value }));
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownRulesAndLevelsAreRejected()
    {
        Assert.Contains("RKC999", Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.FromDictionary(new Hashtable { ["Rules"] = new Hashtable { ["RKC999"] = "Off" } })).Message, StringComparison.Ordinal);
        Assert.Contains("Loud", Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.FromDictionary(new Hashtable { ["Rules"] = new Hashtable { ["RKC001"] = "Loud" } })).Message, StringComparison.Ordinal);
        Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.FromDictionary(new Hashtable { ["Rules"] = "RKC001" }));
    }

    [Fact]
    public void JsonAndYamlFilesLoad()
    {
        string dir = Path.Combine(Path.GetTempPath(), "renku-ps-policy-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "p.json"), "{ \"Name\": \"json\", \"Uid\": 1001, \"Rules\": { \"RKC015\": \"Error\" } }");
            File.WriteAllText(Path.Combine(dir, "p.yaml"), "Name: yaml\nRules:\n  RKD003: false\nAllowedRegistries:\n  - ghcr.io\n");
            File.WriteAllText(Path.Combine(dir, "bad.json"), "{ \"Name\": ");
            CompliancePolicy json = CompliancePolicy.Load(Path.Combine(dir, "p.json"));
            Assert.Equal(1001, json.Uid);
            Assert.Equal(ComplianceSeverity.Error, json.SeverityOf(ComplianceEvaluator.Rules.Single(r => r.Id == "RKC015")));
            CompliancePolicy yaml = CompliancePolicy.Load(Path.Combine(dir, "p.yaml"));
            Assert.False(yaml.IsEnabled(ComplianceEvaluator.Rules.Single(r => r.Id == "RKD003")));
            Assert.Equal(new[] { "ghcr.io" }, yaml.AllowedRegistries);
            Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.Load(Path.Combine(dir, "bad.json")));
            Assert.Throws<CompliancePolicyException>(() => CompliancePolicy.Load(Path.Combine(dir, "missing.json")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void RuleIdsAndNamesAreUnique()
    {
        Assert.Equal(ComplianceEvaluator.Rules.Count, ComplianceEvaluator.Rules.Select(r => r.Id).Distinct().Count());
        Assert.Equal(ComplianceEvaluator.Rules.Count, ComplianceEvaluator.Rules.Select(r => r.Name).Distinct().Count());
        Assert.All(ComplianceEvaluator.Rules, r => Assert.Matches("^RK[CDS][0-9]{3}$", r.Id));
    }
}
