using System.Management.Automation;
using System.Net.Http.Headers;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Builds;

/// <summary>Build-RenkuImage against the real test engine (dockerd on a private socket).</summary>
public class BuildRenkuImageDockerTests
{
    private const string FullyQualified = ",Renku.PowerShell.Commands.Builds.BuildRenkuImageCommand";

    [SkippableFact]
    public void BuildsTheTargetStageWithBuildArgsAndLabels()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("args");
        string tag = "renku-ps-test/build-args:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile",
                $"FROM {BuildBaseImage.Tag} AS base\nARG GREETING=none\nRUN echo \"$GREETING\" > /greeting\n" +
                "FROM base AS chosen\nRUN echo chosen > /stage\n" +
                "FROM base AS never\nRUN exit 9\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage -Path $context -Tag $tag -Target chosen -BuildArg @{ GREETING = 'hello renku' } -Label @{ 'org.example.team' = 'data' } -DockerHost $dockerHost -Verbose",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(3)).ShouldSucceed();

            PSObject output = Assert.Single(result.Output);
            Assert.Equal("Renku.PowerShell.ImageBuildResult", output.TypeNames[0]);
            string imageId = (string)output.Properties["ImageId"].Value;
            Assert.Equal(BuildBaseImage.Docker("image", "inspect", "--format", "{{.Id}}", tag), imageId);
            Assert.Equal(new[] { "docker.io/" + tag }, ((IEnumerable<string>)output.Properties["Tags"].Value).ToArray());
            Assert.Equal("Dockerfile", output.Properties["Mode"].Value.ToString());
            Assert.True((long)output.Properties["ContextBytes"].Value > 0);
            Assert.Equal("hello renku", BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "cat", "/greeting"));
            Assert.Equal("chosen", BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "cat", "/stage"));
            Assert.Equal("data", BuildBaseImage.Docker("image", "inspect", "--format", "{{index .Config.Labels \"org.example.team\"}}", tag));

            // Steps go to -Verbose and to one progress activity, which is completed.
            Assert.Contains(result.Verbose, v => v.StartsWith("Step 5/", StringComparison.Ordinal) && v.EndsWith(" : RUN echo chosen > /stage", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Verbose, v => v.Contains("exit 9", StringComparison.Ordinal));
            Assert.Contains(result.Progress, p => p.ActivityId == 7001 && p.StatusDescription.StartsWith("Step 3/", StringComparison.Ordinal));
            Assert.Equal(ProgressRecordType.Completed, result.Progress.Last(p => p.ActivityId == 7001).RecordType);
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void NoCacheRebuildsEveryStep()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("nocache");
        string tag = "renku-ps-test/build-nocache:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo {tag} > /marker\n");
            var variables = new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host };
            ModuleHost.Run("Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost", variables, TimeSpan.FromMinutes(3)).ShouldSucceed();
            var cached = ModuleHost.Run("Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost -Verbose", variables, TimeSpan.FromMinutes(3)).ShouldSucceed();
            var fresh = ModuleHost.Run("Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost -NoCache -Verbose", variables, TimeSpan.FromMinutes(3)).ShouldSucceed();
            Assert.Contains(cached.Verbose, v => v.Contains("Using cache", StringComparison.Ordinal));
            Assert.DoesNotContain(fresh.Verbose, v => v.Contains("Using cache", StringComparison.Ordinal));
            Assert.NotEqual(cached.Output[0].Properties["ImageId"].Value, fresh.Output[0].Properties["ImageId"].Value);
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void DockerignoreDecidesWhatIsSentAndModesAreKept()
    {
        Skip.If(OperatingSystem.IsWindows(), "file modes are a Unix matter");
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("ignore");
        string tag = "renku-ps-test/build-ignore:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nCOPY . /ctx/\n");
            BuildBaseImage.Write(context, ".dockerignore", "# keep the image small\n**/*.log\nsecrets\n!secrets/public.pem\nnode_modules\nDockerfile\n.dockerignore\n");
            BuildBaseImage.Write(context, "app/main.sh", "echo main\n");
            BuildBaseImage.Write(context, "app/logs/run.log", "noise");
            BuildBaseImage.Write(context, "top.log", "noise");
            BuildBaseImage.Write(context, "secrets/private.key", "never");
            BuildBaseImage.Write(context, "secrets/public.pem", "public");
            BuildBaseImage.Write(context, "node_modules/pkg/index.js", "x");
            BuildBaseImage.Write(context, "big/data.bin", new string('d', 4096));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(Path.Combine(context, "app/main.sh"), (UnixFileMode)0b111_101_000);
            }

            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost -ContextSizeWarning 1000",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(3)).ShouldSucceed();

            string listing = BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "ls", "-R", "/ctx");
            Assert.Contains("main.sh", listing, StringComparison.Ordinal);
            Assert.Contains("public.pem", listing, StringComparison.Ordinal);
            Assert.Contains("data.bin", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("run.log", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("top.log", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("private.key", listing, StringComparison.Ordinal);
            Assert.DoesNotContain("index.js", listing, StringComparison.Ordinal);
            Assert.StartsWith("-rwxr-x---", BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "ls", "-l", "/ctx/app/main.sh"), StringComparison.Ordinal);

            // The Dockerfile was sent although .dockerignore lists it (the build could not run otherwise).
            PSObject output = Assert.Single(result.Output);
            Assert.Equal(5, (int)output.Properties["ContextFiles"].Value);

            // Over the expected size: one warning naming the biggest entry.
            string warning = Assert.Single(result.Warnings);
            Assert.Contains("big/", warning, StringComparison.Ordinal);
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void AFailingRunStepIsAnErrorQuotingTheStepAndItsOutput()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("fail");
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo preparing-things && echo about-to-fail && exit 3\nRUN echo never-reached\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["dockerHost"] = host },
                TimeSpan.FromMinutes(3));

            Assert.Empty(result.Output);
            Assert.Null(result.Terminating);
            ErrorRecord error = Assert.Single(result.Errors);
            Assert.Equal("DockerBuildFailed" + FullyQualified, error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidResult, error.CategoryInfo.Category);
            Assert.Contains("Step 2/3 : RUN echo preparing-things", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains("returned a non-zero code: 3", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.Contains("about-to-fail", error.ErrorDetails.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("never-reached", result.AllText(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void AContextOfTenThousandFilesIsStreamed()
    {
        string host = BuildBaseImage.Ensure();
        string context = BuildBaseImage.NewDirectory("many");
        string tag = "renku-ps-test/build-many:" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            for (int i = 0; i < 10_000; i++)
            {
                string directory = Path.Combine(context, "d" + (i / 500).ToString("D2", System.Globalization.CultureInfo.InvariantCulture));
                Directory.CreateDirectory(directory);
                File.WriteAllText(Path.Combine(directory, "f" + i.ToString("D5", System.Globalization.CultureInfo.InvariantCulture) + ".txt"), "file " + i + "\n");
            }

            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nCOPY d19/ /last/\nCOPY d00/ /first/\n");
            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $tag -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["tag"] = tag, ["dockerHost"] = host },
                TimeSpan.FromMinutes(5)).ShouldSucceed();

            PSObject output = Assert.Single(result.Output);
            Assert.Equal(10_001, (int)output.Properties["ContextFiles"].Value);
            Assert.Equal("file 9999", BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "cat", "/last/f09999.txt"));
            Assert.Equal("file 0", BuildBaseImage.Docker("run", "--rm", "--network", "host", tag, "cat", "/first/f00000.txt"));
        }
        finally
        {
            BuildBaseImage.RemoveImage(tag);
            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public async Task PushesEveryTagWithBasicAuthAndReturnsTheDigestTheRegistryServes()
    {
        string host = BuildBaseImage.Ensure();
        using RegistryServer registry = RegistryServer.WithBasicAuth("builder", "pa55-w0rd-never-shown");
        string context = BuildBaseImage.NewDirectory("push");
        string repository = registry.Host + "/team/session";
        string? imageId = null;
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nRUN echo pushed > /marker\n");
            var password = new System.Security.SecureString();
            foreach (char c in "pa55-w0rd-never-shown")
            {
                password.AppendChar(c);
            }

            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag \"$repository`:1.0\", \"$repository`:stable\" -Push -Credential $credential -DockerHost $dockerHost -Verbose -Debug",
                new Dictionary<string, object?> { ["context"] = context, ["repository"] = repository, ["dockerHost"] = host, ["credential"] = new PSCredential("builder", password) },
                TimeSpan.FromMinutes(3)).ShouldSucceed();

            PSObject output = Assert.Single(result.Output);
            imageId = (string)output.Properties["ImageId"].Value;
            string digest = (string)output.Properties["Digest"].Value;
            Assert.Matches("^sha256:[0-9a-f]{64}$", digest);
            Assert.Equal(new[] { repository + ":1.0", repository + ":stable" }, ((IEnumerable<string>)output.Properties["PushedTags"].Value).ToArray());
            Assert.Contains(result.Progress, p => p.ActivityId == 7002 && p.Activity.StartsWith("Pushing " + repository, StringComparison.Ordinal));
            Assert.DoesNotContain("pa55-w0rd-never-shown", result.AllText(), StringComparison.Ordinal);

            // The registry serves that digest for both tags.
            using var http = new HttpClient();
            foreach (string tag in new[] { "1.0", "stable" })
            {
                var request = new HttpRequestMessage(HttpMethod.Head, new Uri(registry.BaseUri, "v2/team/session/manifests/" + tag));
                request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String("builder:pa55-w0rd-never-shown"u8.ToArray()));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
                HttpResponseMessage response = await http.SendAsync(request);
                Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
                Assert.Equal(digest, response.Headers.GetValues("Docker-Content-Digest").Single());
            }

            // Pulled back into the engine by digest, the image is the one that was built.
            string configDirectory = BuildBaseImage.NewDirectory("docker-config");
            try
            {
                var environment = new Dictionary<string, string> { ["DOCKER_CONFIG"] = configDirectory };
                string docker = Requires.Executable("docker", "docker.io");
                ProcessRunner.Run(docker, new[] { "-H", host, "login", registry.Host, "-u", "builder", "--password-stdin" }, TimeSpan.FromMinutes(1), environment, stdin: "pa55-w0rd-never-shown").EnsureSuccess("docker login");
                BuildBaseImage.RemoveImage(repository + ":1.0");
                BuildBaseImage.RemoveImage(repository + ":stable");
                ProcessRunner.Run(docker, new[] { "-H", host, "pull", repository + "@" + digest }, TimeSpan.FromMinutes(2), environment).EnsureSuccess("docker pull");
                Assert.Equal(output.Properties["ImageId"].Value, BuildBaseImage.Docker("image", "inspect", "--format", "{{.Id}}", repository + "@" + digest));
            }
            finally
            {
                Directory.Delete(configDirectory, recursive: true);
            }
        }
        finally
        {
            if (imageId is not null)
            {
                BuildBaseImage.RemoveImage(imageId);
            }

            Directory.Delete(context, recursive: true);
        }
    }

    [SkippableFact]
    public void TagFromGitAddsTheShortCommitTheVersionAndOciLabels()
    {
        string host = BuildBaseImage.Ensure();
        string git = Requires.Executable("git", "git");
        string context = BuildBaseImage.NewDirectory("git");
        string repository = "renku-ps-test/build-git-" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            BuildBaseImage.Write(context, "Dockerfile", $"FROM {BuildBaseImage.Tag}\nCOPY Dockerfile /\n");
            void Git(params string[] arguments) => ProcessRunner.Run(git, new[] { "-C", context, "-c", "user.name=Test", "-c", "user.email=test@example.org" }.Concat(arguments), TimeSpan.FromSeconds(30)).EnsureSuccess("git " + arguments[0]);
            Git("init", "-q");
            Git("add", "Dockerfile");
            Git("commit", "-q", "-m", "first");
            Git("tag", "v1.4.2");
            Git("remote", "add", "origin", "https://deploy:tok3n-in-url@gitlab.example.org/group/project.git");
            string sha = ProcessRunner.Run(git, new[] { "-C", context, "rev-parse", "HEAD" }, TimeSpan.FromSeconds(30)).StdOut.Trim();

            var result = ModuleHost.Run(
                "Build-RenkuImage $context -Tag $repository -TagFromGit -DockerHost $dockerHost",
                new Dictionary<string, object?> { ["context"] = context, ["repository"] = repository, ["dockerHost"] = host },
                TimeSpan.FromMinutes(3)).ShouldSucceed();

            PSObject output = Assert.Single(result.Output);
            Assert.Equal(
                new[] { "docker.io/" + repository + ":" + sha[..7], "docker.io/" + repository + ":1.4.2" },
                ((IEnumerable<string>)output.Properties["Tags"].Value).ToArray());
            string labels = BuildBaseImage.Docker("image", "inspect", "--format", "{{json .Config.Labels}}", repository + ":" + sha[..7]);
            Assert.Contains("\"org.opencontainers.image.revision\":\"" + sha + "\"", labels, StringComparison.Ordinal);
            Assert.Contains("\"org.opencontainers.image.version\":\"1.4.2\"", labels, StringComparison.Ordinal);
            Assert.Contains("\"org.opencontainers.image.source\":\"https://gitlab.example.org/group/project.git\"", labels, StringComparison.Ordinal);
            Assert.Contains("org.opencontainers.image.created", labels, StringComparison.Ordinal);
            Assert.DoesNotContain("tok3n-in-url", labels + result.AllText(), StringComparison.Ordinal);
            Assert.Equal(BuildBaseImage.Docker("image", "inspect", "--format", "{{.Id}}", repository + ":1.4.2"), output.Properties["ImageId"].Value);

            // Outside a checkout, -TagFromGit is an error and nothing is built.
            string plain = BuildBaseImage.NewDirectory("nogit");
            try
            {
                BuildBaseImage.Write(plain, "Dockerfile", $"FROM {BuildBaseImage.Tag}\n");
                var failed = ModuleHost.Run("Build-RenkuImage $context -Tag $repository -TagFromGit -DockerHost $dockerHost", new Dictionary<string, object?> { ["context"] = plain, ["repository"] = repository, ["dockerHost"] = host });
                Assert.Equal(new[] { "GitRevisionUnavailable" + FullyQualified }, failed.ErrorIds.ToArray());
                Assert.Empty(failed.Output);
            }
            finally
            {
                Directory.Delete(plain, recursive: true);
            }
        }
        finally
        {
            foreach (string line in DockerDaemon.Cli(TimeSpan.FromMinutes(1), "images", "--format", "{{.Repository}}:{{.Tag}}", repository).StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                BuildBaseImage.RemoveImage(line.Trim());
            }

            Directory.Delete(context, recursive: true);
        }
    }
}
