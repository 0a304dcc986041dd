using System.Globalization;
using System.Management.Automation;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Compliance;

public class TestRenkuImageComplianceTests
{
    private const string CommandSuffix = ",Renku.PowerShell.Commands.Compliance.TestRenkuImageComplianceCommand";

    private const string RenkuBasedDockerfile =
        "# syntax=docker/dockerfile:1\n" +
        "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\n" +
        "USER root\n" +
        "RUN apt-get update && \\\n" +
        "    apt-get install -y vim\n" +
        "ENTRYPOINT [\"/bin/bash\"]\n";

    private static Dictionary<string, object?> Vars(params (string Name, object? Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value);

    private static PSObject Result(PSObject report, string ruleId) =>
        ((System.Collections.IEnumerable)report.Properties["Results"].Value).Cast<object>().Select(PSObject.AsPSObject).Single(r => (string)r.Properties["RuleId"].Value == ruleId);

    private static string Outcome(PSObject report, string ruleId) => Result(report, ruleId).Properties["Outcome"].Value.ToString()!;

    [Fact]
    public void ADockerfileAloneIsJudgedWithLineNumbers()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", RenkuBasedDockerfile);
        var result = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $path", Vars(("path", dockerfile))).ShouldSucceed();
        PSObject report = Assert.Single(result.Output);
        Assert.Equal("Renku.PowerShell.ComplianceReport", report.TypeNames[0]);
        Assert.False((bool)report.Properties["Passed"].Value);
        PSObject user = Result(report, "RKD002");
        Assert.Equal("Fail", user.Properties["Outcome"].Value.ToString());
        Assert.Equal(3, user.Properties["Line"].Value);
        Assert.Equal(dockerfile, user.Properties["File"].Value);
        Assert.Equal(6, Result(report, "RKD001").Properties["Line"].Value);
        Assert.Equal("Skip", Outcome(report, "RKC001"));
        Assert.Equal("Renku.PowerShell.ComplianceResult", Result(report, "RKD001").TypeNames[0]);
    }

    [Fact]
    public void AMissingDockerfileStopsBeforeAnyOutput()
    {
        var result = ModuleHost.Run("'a:1', 'b:1' | Test-RenkuImageCompliance -Source Docker -Dockerfile /nonexistent/Dockerfile");
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "DockerfileNotFound" + CommandSuffix }, result.ErrorIds);
    }

    [Theory]
    [InlineData("policy.json", "{ \"Rules\": { \"RKC001\": \"Loud\" } }")]
    [InlineData("policy.json", "{ \"Rules\": ")]
    [InlineData("policy.yml", "Colour: blue\n")]
    [InlineData("policy.psd1", "@{ Rules = @{ RKC999 = 'Off' } }")]
    [InlineData("policy.psd1", "@{ Uid = (Get-Date) }")]
    [InlineData("policy.txt", "whatever")]
    public void ABadPolicyFileStopsBeforeAnyOutput(string name, string content)
    {
        using var files = new ComplianceFiles();
        string policy = files.Write(name, content);
        string dockerfile = files.Write("Dockerfile", RenkuBasedDockerfile);
        var result = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $dockerfile -Policy $policy", Vars(("dockerfile", dockerfile), ("policy", policy)));
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "InvalidCompliancePolicy" + CommandSuffix }, result.ErrorIds);
    }

    [Fact]
    public void APolicyTurnsRulesOffAndChangesSeverities()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", RenkuBasedDockerfile);
        string psd1 = files.Write("policy.psd1", "@{ Name = 'team'; Rules = @{ RKD002 = 'Warning'; RKD004 = 'Info'; RenkuBaseKeepsEntrypointAndCmd = 'Off' } }");
        var result = ModuleHost.Run(
            "Test-RenkuImageCompliance -Dockerfile $dockerfile -Policy $psd1; Test-RenkuImageCompliance -Dockerfile $dockerfile -Policy @{ Rules = @{ RKD002 = $false } }",
            Vars(("dockerfile", dockerfile), ("psd1", psd1))).ShouldSucceed();
        Assert.Equal(2, result.Output.Count);
        PSObject fromFile = result.Output[0];
        Assert.Equal("team", fromFile.Properties["Policy"].Value);
        Assert.Equal("Warning", Result(fromFile, "RKD002").Properties["Severity"].Value.ToString());
        Assert.True((bool)fromFile.Properties["Passed"].Value);
        Assert.DoesNotContain(((System.Collections.IEnumerable)fromFile.Properties["Results"].Value).Cast<object>(), r => PSObject.AsPSObject(r).Properties["RuleId"].Value.Equals("RKD001"));
        Assert.DoesNotContain(((System.Collections.IEnumerable)result.Output[1].Properties["Results"].Value).Cast<object>(), r => PSObject.AsPSObject(r).Properties["RuleId"].Value.Equals("RKD002"));
    }

    [SkippableFact]
    public void EnvironmentShapedObjectsPipeInAndAreJudgedWithTheirSettings()
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.Compliant;
        var result = ModuleHost.Run(@"
            @(
                [pscustomobject]@{ Name = 'ok'; Image = $image; Port = 8888; Uid = 1000; Gid = 1000; DefaultUrl = '/'; WorkingDirectory = '/home/renku/work'; MountDirectory = '/home/renku/work' }
                [pscustomobject]@{ name = 'reserved'; container_image = $image; port = 65401; uid = 1001; default_url = 'lab'; working_directory = '/opt/app'; mount_directory = '/home/renku/work'; command = @('python'); args = @('-m', 'http.server') }
                [pscustomobject]@{ Name = 'bare'; Image = $image }
            ) | Test-RenkuImageCompliance -Source Docker -DockerHost $dockerHost",
            Vars(("image", image), ("dockerHost", host)), TimeSpan.FromMinutes(3)).ShouldSucceed();
        Assert.Equal(3, result.Output.Count);
        Assert.Equal("ok", result.Output[0].Properties["Environment"].Value);
        Assert.True((bool)result.Output[0].Properties["Passed"].Value);
        Assert.Equal("Pass", Outcome(result.Output[0], "RKC009"));
        Assert.Equal("Pass", Outcome(result.Output[0], "RKC007"));

        // Without directories, Renku takes the image WORKDIR (/home/renku) for both.
        PSObject bare = result.Output[2];
        Assert.Equal("/home/renku", PSObject.AsPSObject(bare.Properties["Layout"].Value).Properties["MountDirectory"].Value);
        Assert.Equal("Fail", Outcome(bare, "RKC007"));

        PSObject reserved = result.Output[1];
        Assert.Equal("reserved", reserved.Properties["Environment"].Value);
        Assert.Equal("Fail", Outcome(reserved, "RKC009"));
        Assert.Equal("Fail", Outcome(reserved, "RKC010"));
        Assert.Equal("Fail", Outcome(reserved, "RKC007"));
        Assert.Contains("/home/renku/work", (string)Result(reserved, "RKC007").Properties["Message"].Value, StringComparison.Ordinal);
        Assert.Equal("Fail", Outcome(reserved, "RKC011"));
        Assert.Equal("Fail", Outcome(reserved, "RKC005"));
        Assert.Contains("http.server", (string)Result(reserved, "RKC011").Properties["Message"].Value, StringComparison.Ordinal);
        Assert.Equal("/home/renku/work", PSObject.AsPSObject(reserved.Properties["Layout"].Value).Properties["WorkingDirectory"].Value);
    }

    [SkippableFact]
    public void GlobalEnvironmentObjectsPipeIn()
    {
        string host = DockerDaemon.Require();
        // The engine's types live in the module's load context, so they are made by reflection here.
        var result = ModuleHost.Run(@"
            $null = ConvertTo-RenkuImageReference x
            $type = [AppDomain]::CurrentDomain.GetAssemblies().Where({ $_.GetName().Name -eq 'Renku.PowerShell.Engine' })[0].GetType('Renku.PowerShell.GlobalEnvironment')
            function New-Environment([hashtable] $values) {
                $environment = [Activator]::CreateInstance($type)
                foreach ($key in $values.Keys) { $type.GetProperty($key).SetValue($environment, $values[$key]) }
                $environment
            }
            $environments = @(
                New-Environment @{ Id = '01J0000000000000000000000A'; Name = 'Lab'; Image = $image; DefaultUrl = '/'; Port = 8888; Uid = 1000; Gid = 1000; WorkingDirectory = '/home/renku/work'; MountDirectory = '/home/renku/work' }
                New-Environment @{ Id = '01J0000000000000000000000B'; Name = 'Odd'; Image = $image; DefaultUrl = '/lab'; Port = 65400; Uid = 1001; Gid = 1001; Args = [string[]]@('--x') }
            )
            $environments | Test-RenkuImageCompliance -Source Docker -DockerHost $dockerHost",
            Vars(("image", SessionTestImages.Compliant), ("dockerHost", host)), TimeSpan.FromMinutes(3)).ShouldSucceed();
        Assert.Equal(new object[] { "Lab", "Odd" }, result.Output.Select(o => o.Properties["Environment"].Value).ToArray());
        Assert.True((bool)result.Output[0].Properties["Passed"].Value);
        Assert.Equal("Fail", Outcome(result.Output[1], "RKC009"));
        Assert.Equal("Fail", Outcome(result.Output[1], "RKC005"));
        Assert.Equal("Fail", Outcome(result.Output[1], "RKC011"));
        Assert.Equal("Fail", Outcome(result.Output[1], "RKC007"));
    }

    [Fact]
    public void AHashtableEnvironmentIsReadAndAnUnreachableEngineIsReported()
    {
        var explicitEnvironment = ModuleHost.Run("Test-RenkuImageCompliance -Environment @{ Name = 'h'; container_image = 'x/y:1'; Port = 0 } -Source Docker -DockerHost unix:///nonexistent.sock");
        Assert.Empty(explicitEnvironment.Output);
        Assert.Equal(new[] { "DockerEngineUnavailable" + CommandSuffix }, explicitEnvironment.ErrorIds);
    }

    [Fact]
    public void ABadReferenceIsAnErrorAndTheOthersGoOn()
    {
        using var files = new ComplianceFiles();
        string dockerfile = files.Write("Dockerfile", "FROM debian:12\nUSER 1000\n");
        var result = ModuleHost.Run("'Bad/Upper:1', '' | Test-RenkuImageCompliance -Dockerfile $dockerfile", Vars(("dockerfile", dockerfile)));
        Assert.Empty(result.Output);
        Assert.Equal(new[] { "InvalidImageReference" + CommandSuffix, "InvalidImageReference" + CommandSuffix }, result.ErrorIds);
    }

    [Fact]
    public void FailOnErrorEndsWithATerminatingErrorAfterTheReports()
    {
        using var files = new ComplianceFiles();
        string bad = files.Write("Dockerfile.bad", RenkuBasedDockerfile);
        string warnOnly = files.Write("Dockerfile.warn", "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\nCMD [\"x\"]\n");
        var failing = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $bad -FailOn Error", Vars(("bad", bad)));
        Assert.Single(failing.Output);
        Assert.Equal(new[] { "ComplianceFailed" + CommandSuffix }, failing.ErrorIds);
        Assert.Contains("RKD002", failing.Errors[0].Exception.Message, StringComparison.Ordinal);

        ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $bad -FailOn Never", Vars(("bad", bad))).ShouldSucceed();
        ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $warn -FailOn Error", Vars(("warn", warnOnly))).ShouldSucceed();
        var warning = ModuleHost.Run("Test-RenkuImageCompliance -Dockerfile $warn -FailOn Warning", Vars(("warn", warnOnly)));
        Assert.Equal(new[] { "ComplianceFailed" + CommandSuffix }, warning.ErrorIds);
    }

    [SkippableFact]
    public void ImagesInDockerArePipedInAndJudgedInOrder()
    {
        string host = DockerDaemon.Require();
        string[] images = { SessionTestImages.Compliant, SessionTestImages.RunsAsRoot, SessionTestImages.Alpine, SessionTestImages.Uid1001, SessionTestImages.Jovyan };
        var result = ModuleHost.Run("$images | Test-RenkuImageCompliance -Source Docker -DockerHost $dockerHost", Vars(("images", images), ("dockerHost", host)), TimeSpan.FromMinutes(4)).ShouldSucceed();
        Assert.Equal(images.Length, result.Output.Count);
        Assert.Equal(images.Select(i => "docker.io/" + i).ToArray(), result.Output.Select(o => (string)o.Properties["Image"].Value).ToArray());

        PSObject compliant = result.Output[0];
        Assert.True((bool)compliant.Properties["Passed"].Value, string.Join("\n", ((System.Collections.IEnumerable)compliant.Properties["Results"].Value).Cast<object>()));
        Assert.Equal(0, compliant.Properties["WarningCount"].Value);
        Assert.Equal("Debian GNU/Linux 12", compliant.Properties["Distribution"].Value);
        foreach (string rule in new[] { "RKC001", "RKC002", "RKC003", "RKC004", "RKC005", "RKC007", "RKC008", "RKC009", "RKC012" })
        {
            Assert.Equal("Pass", Outcome(compliant, rule));
        }

        Assert.Equal("Fail", Outcome(result.Output[1], "RKC002"));
        Assert.Equal("Fail", Outcome(result.Output[2], "RKC001"));
        Assert.Contains("alpine", (string)Result(result.Output[2], "RKC001").Properties["Evidence"].Value, StringComparison.Ordinal);
        Assert.Equal("Fail", Outcome(result.Output[3], "RKC003"));
        Assert.Equal("Fail", Outcome(result.Output[3], "RKC004"));
        Assert.Equal("Fail", Outcome(result.Output[3], "RKC005"));
        Assert.Equal("Fail", Outcome(result.Output[4], "RKC003"));
        Assert.Equal("Fail", Outcome(result.Output[4], "RKC004"));
        Assert.Equal("Pass", Outcome(result.Output[4], "RKC002"));
    }

    [SkippableFact]
    public void AnImageMissingFromDockerIsAnErrorForThatImageOnly()
    {
        string host = DockerDaemon.Require();
        var result = ModuleHost.Run("$images | Test-RenkuImageCompliance -Source Docker -DockerHost $dockerHost", Vars(("images", new[] { "renku-ps-test/not-there:1", SessionTestImages.Compliant }), ("dockerHost", host)), TimeSpan.FromMinutes(2));
        Assert.Single(result.Output);
        Assert.Equal(new[] { "ImageUnreadable" + CommandSuffix }, result.ErrorIds);
    }

    [SkippableFact]
    public void WhatIfStartsNoContainerAndKeepsTheStaticChecks()
    {
        string host = DockerDaemon.Require();
        string image = SessionTestImages.Compliant;
        // The engine is shared: the checks of this image (by id: a check creates its container from it) are ours.
        string imageId = ProcessRunner.Run("docker", new[] { "-H", host, "image", "inspect", "--format", "{{.Id}}", image }, TimeSpan.FromSeconds(30)).EnsureSuccess("docker image inspect").StdOut.Trim();
        string since = (DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0).ToString("F3", CultureInfo.InvariantCulture);
        var result = ModuleHost.Run(
            "Test-RenkuImageCompliance $image -Source Docker -DockerHost $dockerHost -Runtime Docker -Port $port -ProbeTimeout 00:00:20 -WhatIf",
            Vars(("image", image), ("dockerHost", host), ("port", Renku.PowerShell.TestSupport.FreePort.Next())),
            TimeSpan.FromMinutes(2)).ShouldSucceed();

        PSObject report = Assert.Single(result.Output);
        Assert.Null(report.Properties["Session"].Value);
        Assert.Equal("Skip", Outcome(report, "RKS001"));
        Assert.Equal("Pass", Outcome(report, "RKC002"));
        var started = ProcessRunner.Run("docker", new[] { "-H", host, "events", "--since", since, "--until", (DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1).ToString(CultureInfo.InvariantCulture), "--filter", "event=start", "--filter", "image=" + imageId, "--format", "{{.ID}}" }, TimeSpan.FromSeconds(30));
        Assert.Equal(string.Empty, started.EnsureSuccess("docker events").StdOut.Trim());
    }

    [SkippableFact]
    public void TheSessionCheckRunsThroughTheCmdlet()
    {
        string host = DockerDaemon.Require();
        int port = Renku.PowerShell.TestSupport.FreePort.NextPair();
        var result = ModuleHost.Run(
            "Test-RenkuImageCompliance $good, $wrongPort -Source Docker -DockerHost $dockerHost -Runtime Docker -Port $port -Uid 1000 -Gid 1000 -WorkingDirectory /home/renku/work -MountDirectory /home/renku/work -ProbeTimeout 00:00:12 -ThrottleLimit 1",
            Vars(("good", SessionTestImages.Compliant), ("wrongPort", SessionTestImages.WrongPort), ("dockerHost", host), ("port", port)),
            TimeSpan.FromMinutes(3)).ShouldSucceed();
        Assert.Equal(2, result.Output.Count);
        foreach (string rule in new[] { "RKS001", "RKS002", "RKS003", "RKS004", "RKS005" })
        {
            Assert.Equal("Pass", Outcome(result.Output[0], rule));
        }

        Assert.Equal("Fail", Outcome(result.Output[1], "RKS002"));
        Assert.Equal("Skip", Outcome(result.Output[1], "RKS003"));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }
}
