using System.Management.Automation;

using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>-Verify: the compliance check between the build and the push, able to stop the push.</summary>
public class BuildRenkuImageVerifyTests
{
    private const string FullyQualified = ",Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand";

    [SkippableFact]
    public async Task ACompliantImageIsVerifiedThenPushed()
    {
        string host = DockerDaemon.Require();
        string baseImage = SessionTestImages.Compliant;
        using RegistryServer registry = RegistryServer.Start();
        string context = BuildBaseImage.NewDirectory("verify-ok");
        string tag = registry.Host + "/team/verified:1.0";
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {baseImage}\nLABEL org.example.role=session\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -Verify -FailOn Error -Push -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(4)).ShouldSucceed();

            PSObject output = Assert.Single(result.Output);
            PSObject report = PSObject.AsPSObject(output.Properties["Verification"].Value);
            Assert.Equal("Renku.PowerShell.ComplianceReport", report.TypeNames[0]);
            Assert.True((bool)report.Properties["Passed"].Value, "the report did not pass: " + result.AllText());
            Assert.NotNull(report.Properties["Session"].Value);
            Assert.NotNull(report.Properties["Dockerfile"].Value);
            Assert.Matches("^sha256:[0-9a-f]{64}$", (string)output.Properties["Digest"].Value);
            Assert.Equal(System.Net.HttpStatusCode.OK, await ManifestStatus(registry, "team/verified", "1.0"));
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public async Task ANonCompliantImageStopsBeforeThePush()
    {
        string host = DockerDaemon.Require();
        string baseImage = SessionTestImages.Compliant;
        using RegistryServer registry = RegistryServer.Start();
        string context = BuildBaseImage.NewDirectory("verify-bad");
        string tag = registry.Host + "/team/rooted:1.0";
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {baseImage}\nUSER root\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -Verify -FailOn Error -Push -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(4));

            Assert.Empty(result.Output);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("ComplianceFailed" + FullyQualified, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            PSObject report = PSObject.AsPSObject(error.TargetObject);
            Assert.False((bool)report.Properties["Passed"].Value);
            Assert.Equal(System.Net.HttpStatusCode.NotFound, await ManifestStatus(registry, "team/rooted", "1.0"));

            // Without -FailOn the report comes back with a warning, and the image is built.
            var reported = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -Verify -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(4)).ShouldSucceed();
            PSObject verification = PSObject.AsPSObject(Assert.Single(reported.Output).Properties["Verification"].Value);
            Assert.False((bool)verification.Properties["Passed"].Value);
            Assert.Contains(reported.Warnings, w => w.Contains("not Renku-compliant", StringComparison.Ordinal));
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void AJobImageIsVerifiedAsAJobWithSessionKindJob()
    {
        string host = DockerDaemon.Require();
        string baseImage = SessionTestImages.Sleeps;
        string context = BuildBaseImage.NewDirectory("verify-job");
        string tag = "renku-ps-test/verify-job:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {baseImage}\nLABEL org.example.role=job\n");
            var passed = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -Verify -FailOn Error -SessionKind Job -Command /bin/sh -Arguments '-c', 'test \"$RENKU_JOB\" = 1 -a -z \"$RENKU_SESSION_PORT\"' -ProbeTimeout 60 -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(4)).ShouldSucceed();
            PSObject report = PSObject.AsPSObject(Assert.Single(passed.Output).Properties["Verification"].Value);
            Assert.Equal("Job", report.Properties["SessionKind"].Value.ToString());
            Assert.True((bool)report.Properties["Passed"].Value, "the job did not pass: " + passed.AllText());
            Assert.Equal("Succeeded", PSObject.AsPSObject(report.Properties["Session"].Value).Properties["Outcome"].Value.ToString());

            var failed = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -Verify -FailOn Error -SessionKind Job -Command /bin/sh -Arguments '-c', 'echo nothing to do; exit 3' -ProbeTimeout 60 -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(4));
            ErrorRecord error = Assert.Single(failed.Errors);
            Assert.Equal("ComplianceFailed" + FullyQualified, error.FullyQualifiedErrorId);
            Assert.Contains("RKS007", ((System.Collections.IEnumerable)PSObject.AsPSObject(error.TargetObject).Properties["FailingRules"].Value).Cast<object>().Select(o => o.ToString()));
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [Fact]
    public void ABadPolicyStopsBeforeTheBuild()
    {
        string context = BuildBaseImage.NewDirectory("verify-policy");
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", "FROM scratch\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Policy @{ Rules = @{ RKC999 = 'Off' } } -DockerHost 'unix:///nonexistent/renku-ps.sock'",
                new Dictionary<string, object?> { ["context"] = context });
            Assert.Equal(new[] { "InvalidCompliancePolicy" + FullyQualified }, result.ErrorIds.ToArray());
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static async Task<System.Net.HttpStatusCode> ManifestStatus(RegistryServer registry, string repository, string tag)
    {
        using var http = new HttpClient();
        var request = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, $"v2/{repository}/manifests/{tag}"));
        request.Headers.Accept.ParseAdd("application/vnd.docker.distribution.manifest.v2+json");
        request.Headers.Accept.ParseAdd("application/vnd.oci.image.manifest.v1+json");
        return (await http.SendAsync(request)).StatusCode;
    }
}
