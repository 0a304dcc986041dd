using Xunit;
using Renku.PowerShell.Compliance;
using Renku.PowerShell.Dockerfiles;

namespace Renku.PowerShell.Engine.Tests.Compliance;

/// <summary>Every rule on in-memory images: one compliant image, and one failing case per rule.</summary>
public class ComplianceRuleTests
{
    private static ImageInfo Image(
        string reference = "ghcr.io/team/lab:1.2.3",
        string? osId = "ubuntu",
        string[]? idLike = null,
        string userSpec = "1000",
        int? uid = 1000,
        int? gid = 1000,
        string? userName = "renku",
        string? home = "/home/renku",
        string[]? entrypoint = null,
        string[]? cmd = null,
        PublicAccess access = PublicAccess.Public,
        long size = 300 * 1024 * 1024,
        string[]? platforms = null,
        string? workdir = "/home/renku",
        string[]? env = null) => new()
        {
            Reference = ImageReference.Parse(reference),
            Source = ImageSourceKind.Registry,
            Digest = "sha256:" + new string('a', 64),
            OsId = osId,
            OsVersion = osId == "ubuntu" ? "24.04" : "3.20",
            OsIdLike = idLike ?? Array.Empty<string>(),
            OsPrettyName = osId is null ? null : osId + " test",
            Config = new ImageConfiguration { User = userSpec, WorkingDir = workdir, Entrypoint = entrypoint ?? new[] { "/cnb/process/web" }, Cmd = cmd, Env = env ?? Array.Empty<string>() },
            User = new ImageUser { Spec = userSpec, Uid = uid, Gid = gid, UserName = userName, GroupName = userName, Home = home, Resolved = uid is not null, Problem = uid is null ? "no user" : null },
            PublicAccess = access,
            CompressedSize = size,
            LayerCount = 5,
            Platforms = (platforms ?? new[] { "linux/amd64", "linux/arm64" }).Select(ImagePlatform.Parse).ToArray(),
        };

    private static ComplianceReport Check(ImageInfo? image = null, SessionSettings? settings = null, string? dockerfile = null, CompliancePolicy? policy = null) =>
        ComplianceEvaluator.Evaluate(new ComplianceRequest
        {
            Image = image,
            Settings = settings ?? SessionSettings.RenkuDefaults,
            Dockerfile = dockerfile is null ? null : DockerfileDocument.Parse(dockerfile, "/src/Dockerfile"),
            Policy = policy ?? CompliancePolicy.Default,
        });

    private static ComplianceResult Rule(ComplianceReport report, string id) => report.Results.Single(r => r.RuleId == id);

    [Fact]
    public void ACompliantImagePassesEveryStaticRule()
    {
        ComplianceReport report = Check(Image());
        Assert.True(report.Passed);
        Assert.Equal(0, report.WarningCount);
        Assert.All(report.Results.Where(r => r.Category is "Image" or "Environment" or "Registry"), r => Assert.Equal(ComplianceOutcome.Pass, r.Outcome));
        Assert.All(report.Results.Where(r => r.Category is "Dockerfile" or "Session"), r => Assert.Equal(ComplianceOutcome.Skip, r.Outcome));
        Assert.Equal("ghcr.io/team/lab:1.2.3", report.Image);
        Assert.Equal("ubuntu test", report.Distribution);
        Assert.Equal("(Renku defaults)", report.Environment);
    }

    [Theory]
    [InlineData("alpine", null, ComplianceOutcome.Fail)]
    [InlineData(null, null, ComplianceOutcome.Fail)]
    [InlineData("pop", "ubuntu debian", ComplianceOutcome.Pass)]
    [InlineData("debian", null, ComplianceOutcome.Pass)]
    public void RKC001Distribution(string? osId, string? idLike, ComplianceOutcome expected)
    {
        ComplianceResult result = Rule(Check(Image(osId: osId, idLike: idLike?.Split(' '))), "RKC001");
        Assert.Equal(expected, result.Outcome);
        Assert.Contains("os-release ID=", result.Evidence, StringComparison.Ordinal);
        if (expected == ComplianceOutcome.Fail)
        {
            Assert.NotEmpty(result.Remedy);
        }
    }

    [Theory]
    [InlineData("", 0, 0, "root")]
    [InlineData("root", 0, 0, "root")]
    [InlineData("0:0", 0, 0, "root")]
    public void RKC002RootFails(string spec, int uid, int gid, string name)
    {
        ComplianceReport report = Check(Image(userSpec: spec, uid: uid, gid: gid, userName: name));
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKC002").Outcome);
        Assert.False(report.Passed);
    }

    [Fact]
    public void RKC002AnUnresolvableUserFails()
    {
        ComplianceResult result = Rule(Check(Image(userSpec: "ghost", uid: null, gid: null, userName: null)), "RKC002");
        Assert.Equal(ComplianceOutcome.Fail, result.Outcome);
        Assert.Contains("ghost", result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RKC003AndRKC005UidGidMustBe1000AndMatchTheEnvironment()
    {
        ComplianceReport report = Check(Image(userSpec: "jovyan", uid: 1000, gid: 100, userName: "jovyan"));
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKC003").Outcome);
        Assert.Contains("gid 100", Rule(report, "RKC003").Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKC004").Outcome);
        Assert.Equal(ComplianceSeverity.Warning, Rule(report, "RKC004").Severity);
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKC005").Outcome);

        ComplianceReport matching = Check(Image(userSpec: "jovyan", uid: 1000, gid: 100, userName: "jovyan"), new SessionSettings { Uid = 1000, Gid = 100 }, policy: CompliancePolicy.FromDictionary(new System.Collections.Hashtable { ["Gid"] = 100, ["UserName"] = "jovyan" }));
        Assert.Equal(ComplianceOutcome.Pass, Rule(matching, "RKC003").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, Rule(matching, "RKC004").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, Rule(matching, "RKC005").Outcome);
    }

    [Fact]
    public void RKC006And007DirectoriesAbsoluteAndInsideTheMount()
    {
        ComplianceReport relative = Check(Image(), new SessionSettings { WorkingDirectory = "work", MountDirectory = "/home/renku/work" });
        Assert.Equal(ComplianceOutcome.Fail, Rule(relative, "RKC006").Outcome);
        Assert.Equal(ComplianceOutcome.Skip, Rule(relative, "RKC007").Outcome);

        ComplianceReport outside = Check(Image(), new SessionSettings { WorkingDirectory = "/opt/app", MountDirectory = "/home/renku/work" });
        ComplianceResult layout = Rule(outside, "RKC007");
        Assert.Equal(ComplianceOutcome.Fail, layout.Outcome);
        Assert.Contains("starts the session in '/home/renku/work' instead", layout.Message, StringComparison.Ordinal);
        Assert.True(outside.Passed, "a layout Renku fixes up is a warning");

        ComplianceReport root = Check(Image(workdir: null), new SessionSettings { WorkingDirectory = null, MountDirectory = "/" });
        Assert.Contains("/work", Rule(root, "RKC007").Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RKC008HomeMustNotBeRoot()
    {
        ComplianceReport noHome = Check(Image(home: null), new SessionSettings { Uid = 1000, Gid = 1000 });
        Assert.Equal(ComplianceOutcome.Fail, Rule(noHome, "RKC008").Outcome);
        ComplianceReport envHome = Check(Image(home: null, env: new[] { "HOME=/home/renku/work" }));
        Assert.Equal(ComplianceOutcome.Pass, Rule(envHome, "RKC008").Outcome);
        Assert.Contains("persists", Rule(envHome, "RKC008").Message, StringComparison.Ordinal);
        ComplianceReport otherUid = Check(Image(), new SessionSettings { Uid = 1234, Gid = 1000 });
        Assert.Equal(ComplianceOutcome.Fail, Rule(otherUid, "RKC008").Outcome);
    }

    [Theory]
    [InlineData(8888, ComplianceOutcome.Pass)]
    [InlineData(1, ComplianceOutcome.Pass)]
    [InlineData(65399, ComplianceOutcome.Pass)]
    [InlineData(65400, ComplianceOutcome.Fail)]
    [InlineData(65535, ComplianceOutcome.Fail)]
    [InlineData(0, ComplianceOutcome.Fail)]
    [InlineData(70000, ComplianceOutcome.Fail)]
    public void RKC009PortRange(int port, ComplianceOutcome expected) =>
        Assert.Equal(expected, Rule(Check(Image(), new SessionSettings { Port = port }), "RKC009").Outcome);

    [Fact]
    public void RKC010DefaultUrlIsAPath()
    {
        Assert.Equal(ComplianceOutcome.Fail, Rule(Check(settings: new SessionSettings { DefaultUrl = "lab" }), "RKC010").Outcome);
        Assert.Equal(ComplianceOutcome.Fail, Rule(Check(settings: new SessionSettings { DefaultUrl = "/" + new string('a', 200) }), "RKC010").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, Rule(Check(settings: new SessionSettings { DefaultUrl = "/lab" }), "RKC010").Outcome);
    }

    [Fact]
    public void RKC011CommandAndArgsReplacingTheImageAreNamed()
    {
        ImageInfo image = Image(entrypoint: new[] { "tini", "--" }, cmd: new[] { "jupyter", "lab" });
        ComplianceResult both = Rule(Check(image, new SessionSettings { Command = new[] { "bash" }, Args = new[] { "-c", "serve" } }), "RKC011");
        Assert.Equal(ComplianceOutcome.Fail, both.Outcome);
        Assert.Contains("[\"bash\"] replaces the image ENTRYPOINT [\"tini\", \"--\"]", both.Message, StringComparison.Ordinal);
        Assert.Contains("replace the image CMD [\"jupyter\", \"lab\"]", both.Message, StringComparison.Ordinal);

        ComplianceResult commandOnly = Rule(Check(image, new SessionSettings { Command = new[] { "bash" } }), "RKC011");
        Assert.Contains("drops the image CMD", commandOnly.Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceOutcome.Pass, Rule(Check(image), "RKC011").Outcome);
    }

    [Theory]
    [InlineData("ghcr.io/team/lab", ComplianceOutcome.Fail)]
    [InlineData("ghcr.io/team/lab:latest", ComplianceOutcome.Fail)]
    [InlineData("ghcr.io/team/lab:2024-05-01", ComplianceOutcome.Pass)]
    [InlineData("ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3", ComplianceOutcome.Pass)]
    [InlineData("ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:1a2b3c4", ComplianceOutcome.Fail)]
    [InlineData("ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:amd64-1a2b3c4", ComplianceOutcome.Fail)]
    [InlineData("ghcr.io/team/lab@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", ComplianceOutcome.Pass)]
    public void RKC012Pinning(string reference, ComplianceOutcome expected) =>
        Assert.Equal(expected, Rule(Check(Image(reference: reference)), "RKC012").Outcome);

    [Theory]
    [InlineData(PublicAccess.Public, ComplianceOutcome.Pass)]
    [InlineData(PublicAccess.Private, ComplianceOutcome.Fail)]
    [InlineData(PublicAccess.NotFound, ComplianceOutcome.Fail)]
    [InlineData(PublicAccess.RateLimited, ComplianceOutcome.Skip)]
    [InlineData(PublicAccess.Unknown, ComplianceOutcome.Skip)]
    public void RKC013PublicAccessIsToldApart(PublicAccess access, ComplianceOutcome expected)
    {
        ComplianceResult result = Rule(Check(Image(access: access)), "RKC013");
        Assert.Equal(expected, result.Outcome);
        Assert.Contains(access.ToString(), result.Evidence + result.Message, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// RKC013 with both answers: the module's anonymous request and Renku's own pull check
    /// (accessible or not, through a registry connection or anonymously).
    /// </summary>
    [Theory]
    //          anonymous request        Renku: accessible, via connection   outcome                     message fragment
    [InlineData(PublicAccess.Public, true, false, ComplianceOutcome.Pass, "Renku's own check agrees (it pulls anonymously)")]
    [InlineData(PublicAccess.Public, true, true, ComplianceOutcome.Pass, "which anonymous pulls do not need")]
    [InlineData(PublicAccess.Public, false, false, ComplianceOutcome.Fail, "although an anonymous request from here could pull it")]
    [InlineData(PublicAccess.Private, false, true, ComplianceOutcome.Fail, "even with the registry connection")]
    [InlineData(PublicAccess.Private, true, true, ComplianceOutcome.Fail, "pulls it with the connection")]
    [InlineData(PublicAccess.NotFound, true, true, ComplianceOutcome.Fail, "only through a registry connection")]
    [InlineData(PublicAccess.Private, true, false, ComplianceOutcome.Pass, "without any registry connection")]
    [InlineData(PublicAccess.Unreachable, true, false, ComplianceOutcome.Pass, "without any registry connection")]
    [InlineData(PublicAccess.RateLimited, true, true, ComplianceOutcome.Skip, "whether anyone can pull it was not settled")]
    [InlineData(PublicAccess.Unreachable, false, false, ComplianceOutcome.Fail, "Renku itself cannot pull")]
    public void RKC013WeighsRenkusOwnPullCheck(PublicAccess access, bool accessible, bool viaConnection, ComplianceOutcome expected, string fragment)
    {
        var platform = new Renku.PowerShell.PlatformImageCheck
        {
            Image = "registry.example.org/team/lab:1.0",
            Accessible = accessible,
            ConnectionId = viaConnection ? "01JCONNECTION0000000000000" : null,
            ConnectionStatus = viaConnection ? "connected" : null,
            ProviderName = viaConnection ? "Team Harbor" : null,
        };
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Image = Image(access: access), PlatformCheck = platform });
        ComplianceResult result = Rule(report, "RKC013");
        Assert.Equal(expected, result.Outcome);
        Assert.Contains(fragment, result.Message, StringComparison.Ordinal);

        // Both answers are in the evidence, and which one a deployment with registry connections uses.
        Assert.Contains("anonymous pull: " + access, result.Evidence, StringComparison.Ordinal);
        Assert.Contains("Renku's check: " + (accessible ? "accessible" : "not accessible"), result.Evidence, StringComparison.Ordinal);
        Assert.Contains(viaConnection ? "through the registry connection 01JCONNECTION0000000000000 (Team Harbor, connected)" : "without a registry connection", result.Evidence, StringComparison.Ordinal);
    }

    [Fact]
    public void RKC013SaysWhyRenkusCheckGaveNoAnswer()
    {
        ComplianceResult asked = Rule(ComplianceEvaluator.Evaluate(new ComplianceRequest { Image = Image(access: PublicAccess.Public), PlatformCheckProblem = "the connection was refused" }), "RKC013");
        Assert.Equal(ComplianceOutcome.Pass, asked.Outcome);
        Assert.Contains("Renku's check: no answer (the connection was refused)", asked.Evidence, StringComparison.Ordinal);
        ComplianceResult notAsked = Rule(Check(Image(access: PublicAccess.Public)), "RKC013");
        Assert.Contains("Renku's check: not asked (no Renku connection)", notAsked.Evidence, StringComparison.Ordinal);
    }

    /// <summary>An image built by Renku's buildpacks as PLATFORM.md §4 describes it: WORKDIR /workspace, the CNB launcher, baked session variables.</summary>
    private static ImageInfo BuiltByBuildpacks() => Image(
        entrypoint: new[] { "/cnb/process/jupyterlab" },
        workdir: Renku.PowerShell.Buildpacks.RenkuBuildpacks.BuiltWorkingDirectory,
        env: Renku.PowerShell.Buildpacks.RenkuBuildpacks.BakedSessionVariables.Select(p => p.Key + "=" + p.Value).Append("CNB_APP_DIR=/workspace").ToArray());

    [Theory]
    // Renku's own build environments (data services' BUILD_ENVIRONMENT_CONFIGS): port 8888,
    // /home/renku/work, 1000:1000; rstudio strips the path prefix, jupyterlab opens /lab.
    [InlineData("rstudio", "/", true)]
    [InlineData("jupyterlab", "/lab", false)]
    [InlineData("vscodium", "/", false)]
    public void RenkusOwnBuildEnvironmentsAreNotFlagged(string frontend, string defaultUrl, bool stripPathPrefix)
    {
        ImageInfo built = Image(
            entrypoint: new[] { "/cnb/process/" + frontend },
            workdir: Renku.PowerShell.Buildpacks.RenkuBuildpacks.BuiltWorkingDirectory,
            env: Renku.PowerShell.Buildpacks.RenkuBuildpacks.BakedSessionVariables.Select(p => p.Key + "=" + p.Value).Append("CNB_APP_DIR=/workspace").ToArray());
        var settings = new SessionSettings { Port = 8888, Uid = 1000, Gid = 1000, WorkingDirectory = "/home/renku/work", MountDirectory = "/home/renku/work", DefaultUrl = defaultUrl, StripPathPrefix = stripPathPrefix };
        ComplianceReport report = Check(built, settings);
        Assert.True(report.Passed, string.Join("; ", report.Failures.Select(f => f.RuleId + ": " + f.Message)));
        Assert.Equal(0, report.WarningCount);
        Assert.Empty(report.Failures);
    }

    [Fact]
    public void ImagesBuiltByBuildpacksAreJudgedByWhatRenkuSetsAtStart()
    {
        Assert.True(Renku.PowerShell.Buildpacks.RenkuBuildpacks.IsBuilt(BuiltByBuildpacks().Config));
        Assert.False(Renku.PowerShell.Buildpacks.RenkuBuildpacks.IsBuilt(Image(entrypoint: new[] { "tini", "--" }).Config));

        // Renku's settings for its images: the baked /workspace values are replaced at start, and the layout holds.
        ComplianceResult layout = Rule(Check(BuiltByBuildpacks()), "RKC007");
        Assert.Equal(ComplianceOutcome.Pass, layout.Outcome);
        Assert.Contains("baked RENKU_WORKING_DIR=/workspace and RENKU_MOUNT_DIR=/workspace, which Renku replaces with these at start", layout.Evidence, StringComparison.Ordinal);

        // Left to the image, Renku works in /workspace, the app directory.
        var fromImage = new SessionSettings { WorkingDirectory = null, MountDirectory = null };
        Assert.Contains("working directory /workspace", Rule(Check(BuiltByBuildpacks(), fromImage), "RKC007").Evidence, StringComparison.Ordinal);

        // A command replaces the CNB launcher that starts the frontend.
        var withCommand = new SessionSettings { Command = new[] { "jupyter", "lab" } };
        ComplianceResult command = Rule(Check(BuiltByBuildpacks(), withCommand), "RKC011");
        Assert.Equal(ComplianceOutcome.Fail, command.Outcome);
        Assert.Contains("the buildpacks' CNB launcher, which starts the frontend they installed", command.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RKC014And015PlatformsAndSize()
    {
        ComplianceReport armOnly = Check(Image(platforms: new[] { "linux/arm64" }));
        Assert.Equal(ComplianceOutcome.Fail, Rule(armOnly, "RKC014").Outcome);
        Assert.Contains("linux/amd64", Rule(armOnly, "RKC014").Message, StringComparison.Ordinal);

        ComplianceReport big = Check(Image(size: 5L * 1024 * 1024 * 1024));
        Assert.Equal(ComplianceOutcome.Fail, Rule(big, "RKC015").Outcome);
        Assert.Equal(ComplianceSeverity.Warning, Rule(big, "RKC015").Severity);
        Assert.True(big.Passed);
        Assert.Equal(1, big.WarningCount);
        Assert.True(big.FailsOn(ComplianceFailOn.Warning));
        Assert.False(big.FailsOn(ComplianceFailOn.Error));
    }

    [Fact]
    public void RKC016LegacyBasesAreFlagged()
    {
        Assert.Equal(ComplianceOutcome.Fail, Rule(Check(Image(reference: "renku/renkulab-py:3.10-0.24.0")), "RKC016").Outcome);
        ComplianceResult fromDockerfile = Rule(Check(Image(), dockerfile: "FROM renku/renkulab-py:3.10-0.24.0\nUSER 1000\n"), "RKC016");
        Assert.Equal(ComplianceOutcome.Fail, fromDockerfile.Outcome);
        Assert.Equal(1, fromDockerfile.Line);
    }

    [Fact]
    public void RKC017AllowedRegistries()
    {
        CompliancePolicy policy = CompliancePolicy.FromDictionary(new System.Collections.Hashtable { ["AllowedRegistries"] = "registry.example.org" });
        Assert.Equal(ComplianceOutcome.Fail, Rule(Check(Image(), policy: policy), "RKC017").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, Rule(Check(Image(reference: "registry.example.org/a/b:1.0"), policy: policy), "RKC017").Outcome);
    }

    [Fact]
    public void DockerfileRulesPointAtTheirLines()
    {
        const string renkuBased =
            "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3 AS base\n" +
            "USER root\n" +
            "RUN apt-get update\n" +
            "FROM base\n" +
            "CMD [\"bash\"]\n";
        ComplianceReport report = Check(dockerfile: renkuBased);
        ComplianceResult user = Rule(report, "RKD002");
        Assert.Equal(ComplianceOutcome.Fail, user.Outcome);
        Assert.Equal(2, user.Line);
        Assert.Equal("/src/Dockerfile", user.File);
        Assert.Equal(5, Rule(report, "RKD001").Line);
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKD004").Outcome);
        Assert.Equal(ComplianceOutcome.Pass, Rule(report, "RKD003").Outcome);

        ComplianceReport fixedUp = Check(dockerfile: "FROM ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab:2.10.3\nUSER root\nRUN true\nUSER renku\n");
        Assert.All(fixedUp.Results.Where(r => r.Category == "Dockerfile"), r => Assert.Equal(ComplianceOutcome.Pass, r.Outcome));

        ComplianceReport unpinned = Check(dockerfile: "ARG V\nFROM python:${V} AS build\nFROM debian\nUSER 1000\n");
        ComplianceResult pinned = Rule(unpinned, "RKD003");
        Assert.Equal(ComplianceOutcome.Fail, pinned.Outcome);
        Assert.Equal(2, pinned.Line);
        Assert.Contains("line 3", pinned.Message, StringComparison.Ordinal);
        Assert.Equal(ComplianceOutcome.Pass, Rule(unpinned, "RKD004").Outcome);
    }

    [Fact]
    public void SessionRulesSkipWithoutASessionAndJudgeOne()
    {
        ComplianceReport none = Check(Image());
        Assert.All(none.Results.Where(r => r.Category == "Session"), r => Assert.Contains("-Runtime Docker", r.Message, StringComparison.Ordinal));

        var session = new SessionCheck { Runtime = "Test", Started = true, Ready = true, StayedUp = true, HttpStatus = 302, Url = "http://x/", MountWritable = true, HomeWritable = false, Home = "/", Port = 8888 };
        ComplianceReport report = ComplianceEvaluator.Evaluate(new ComplianceRequest { Image = Image(), Session = session });
        Assert.Equal(ComplianceOutcome.Pass, Rule(report, "RKS003").Outcome);
        Assert.Equal(ComplianceOutcome.Fail, Rule(report, "RKS005").Outcome);
        Assert.True(report.Passed);
    }
}
