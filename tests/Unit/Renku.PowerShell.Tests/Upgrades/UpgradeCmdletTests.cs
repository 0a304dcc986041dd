using System.Management.Automation;

using Renku.PowerShell.TestSupport;
using Renku.PowerShell.TestSupport.Images;
using Renku.PowerShell.TestSupport.Parts;

using Xunit;

namespace Renku.PowerShell.Tests.Upgrades;

/// <summary>Get-RenkuImageUpgrade and Update-RenkuImageTag against a real registry on loopback.</summary>
public sealed class UpgradeCmdletTests : IClassFixture<UpgradeCmdletTests.SeededRegistry>
{
    private readonly SeededRegistry registry;

    public UpgradeCmdletTests(SeededRegistry registry) => this.registry = registry;

    [SkippableFact]
    public void AuditsStringsAndEnvironmentsInOnePipeline()
    {
        string app = registry.Image("renku/app");
        var result = Run(@"
            $environment = [pscustomobject]@{ Name = 'Python'; Id = '01JAAAAAAAAAAAAAAAAAAAAAAA'; container_image = ""$app`:2.10.1"" }
            ""$app`:2.10.1"", ""$app`:latest"", ""$app`:abc1234"", ""$app`:2.10.3-python3.12"", $environment | Get-RenkuImageUpgrade",
            ("app", app)).ShouldSucceed();

        var rows = result.Output.Select(o => o.Properties).ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(result.Output, o => Assert.Equal("Renku.PowerShell.ImageUpgrade", o.TypeNames[0]));
        Assert.Equal("2.11.1", rows[0]["Candidate"].Value);
        Assert.Equal("2.10.3", rows[0]["NewestPatch"].Value);
        Assert.Equal("3.0.0", rows[0]["NewestMajor"].Value);
        Assert.Equal("MajorAvailable", rows[0]["Status"].Value.ToString());
        Assert.Equal(registry.Digests["renku/app"]["2.11.1"], rows[0]["CandidateDigest"].Value);
        Assert.Equal("Unpinned", rows[1]["Status"].Value.ToString());
        Assert.Equal("3.0.0", rows[1]["Candidate"].Value);
        Assert.Equal("UnknownScheme", rows[2]["Status"].Value.ToString());
        Assert.Equal("2.11.0-python3.12", rows[3]["Candidate"].Value);
        Assert.Equal(new[] { "2.11.0-python3.13" }, ((IEnumerable<string>)rows[3]["NewerStreams"].Value).ToArray());
        Assert.Equal("Environment", rows[4]["SourceKind"].Value.ToString());
        Assert.Equal("Python", rows[4]["EnvironmentName"].Value);
        Assert.Equal("Python (01JAAAAAAAAAAAAAAAAAAAAAAA)", rows[4]["Source"].Value);
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [SkippableFact]
    public void ListsMoreThanAThousandTagsAcrossPages()
    {
        var result = Run("Get-RenkuImageUpgrade \"$big`:1.0.0\" -Level Major", ("big", registry.Image("renku/big"))).ShouldSucceed();
        PSObject row = Assert.Single(result.Output);
        Assert.Equal("12.99.0", row.Properties["Candidate"].Value);
    }

    [SkippableFact]
    public void AnUnreachableOrForbiddenRegistryGivesRegistryErrorRowsAndTheRunGoesOn()
    {
        int closedPort = FreePort.Next();
        using RegistryServer locked = RegistryServer.WithBasicAuth("owner", "not-shared");
        var result = Run(
            "\"127.0.0.1:$closed/x/app:1.0.0\", \"$locked/x/app:1.0.0\", \"$app`:2.10.1\" | Get-RenkuImageUpgrade",
            ("closed", closedPort.ToString()), ("locked", locked.Host), ("app", registry.Image("renku/app"))).ShouldSucceed();
        Assert.Equal(new[] { "RegistryError", "RegistryError", "MajorAvailable" }, result.Output.Select(o => o.Properties["Status"].Value.ToString()));
        Assert.All(result.Output.Take(2), o => Assert.False(string.IsNullOrEmpty((string?)o.Properties["Message"].Value)));
    }

    [SkippableFact]
    public void DockerfilesAreAuditedAndRewrittenInPlace()
    {
        string app = registry.Image("renku/app");
        string dir = Directory.CreateTempSubdirectory("renku-ps-upgrade-").FullName;
        try
        {
            string dockerfile = Path.Combine(dir, "Dockerfile");
            string original = $"# build\r\nARG BASE={app}:2.10.1\r\nFROM --platform=linux/amd64 {app}:2.10.3-python3.12 AS build\r\nFROM scratch\r\nFROM ${{BASE}}\r\nUSER renku\r\n";
            File.WriteAllText(dockerfile, original);

            var audit = Run("Get-RenkuImageUpgrade -Path $file", ("file", dockerfile)).ShouldSucceed();
            Assert.Equal(new[] { $"{dockerfile}:3", $"{dockerfile}:5" }, audit.Output.Select(o => (string)o.Properties["Source"].Value));

            var whatIf = Run("Get-RenkuImageUpgrade -Path $file | Update-RenkuImageTag -WhatIf", ("file", dockerfile)).ShouldSucceed();
            Assert.All(whatIf.Output, o => Assert.False((bool)o.Properties["Applied"].Value));
            Assert.Equal(original, File.ReadAllText(dockerfile));

            var applied = Run("Update-RenkuImageTag -LiteralPath $file -Confirm:$false", ("file", dockerfile)).ShouldSucceed();
            Assert.Equal(2, applied.Output.Count);
            Assert.All(applied.Output, o => Assert.True((bool)o.Properties["Applied"].Value));
            Assert.Equal(original.Replace(":2.10.1", ":2.11.1", StringComparison.Ordinal).Replace(":2.10.3-python3.12", ":2.11.0-python3.12", StringComparison.Ordinal), File.ReadAllText(dockerfile));

            var pinned = Run("Update-RenkuImageTag -LiteralPath $file -Level Major -PinDigest -Confirm:$false", ("file", dockerfile)).ShouldSucceed();
            Assert.Contains($"ARG BASE={app}:3.0.0@{registry.Digests["renku/app"]["3.0.0"]}\r\n", File.ReadAllText(dockerfile), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void ADigestRecordFlagsATagPushedAgain()
    {
        string dir = Directory.CreateTempSubdirectory("renku-ps-digests-").FullName;
        try
        {
            string record = Path.Combine(dir, "digests.json");
            string image = registry.Image("renku/drift") + ":1.0.0";
            registry.Push("renku/drift", new[] { "1.0.0", "1.1.0" }, revision: "first");
            var first = Run("Get-RenkuImageUpgrade $image -RecordDigest $record", ("image", image), ("record", record)).ShouldSucceed();
            Assert.False((bool)Assert.Single(first.Output).Properties["DigestChanged"].Value);
            Assert.True(File.Exists(record));

            registry.Push("renku/drift", new[] { "1.0.0" }, revision: "second");
            var second = Run("Get-RenkuImageUpgrade $image -RecordDigest $record", ("image", image), ("record", record)).ShouldSucceed();
            PSObject row = Assert.Single(second.Output);
            Assert.True((bool)row.Properties["DigestChanged"].Value);
            Assert.NotEqual(row.Properties["RecordedDigest"].Value, row.Properties["CurrentDigest"].Value);
            Assert.Single(second.Warnings);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [SkippableFact]
    public void CommitTagsResolveToTheirReleaseAndLeadingZeroTagsAreVersions()
    {
        string py = registry.Image("renku/py");
        string os = registry.Image("renku/os");
        var result = Run(@"
            ""$py`:abc1234"", ""$py`:amd64-abc1234"", ""$py`:fedcba9"", ""$os`:22.04"", ""$os`:latest"" | Get-RenkuImageUpgrade -Level Major",
            ("py", py), ("os", os)).ShouldSucceed();

        var rows = result.Output.Select(o => o.Properties).ToList();
        Assert.Equal(new[] { "2.10.1", "2.10.1", null, null, null }, rows.Select(r => (string?)r["ResolvedTag"].Value));
        Assert.Equal(new[] { "2.11.0", "2.11.0", null, "24.04", "24.04" }, rows.Select(r => (string?)r["Candidate"].Value));
        Assert.Equal(new[] { "MinorAvailable", "MinorAvailable", "UnknownScheme", "MajorAvailable", "Unpinned" }, rows.Select(r => r["Status"].Value.ToString()));
        Assert.Equal("CommitSha", rows[0]["TagKind"].Value.ToString());
        Assert.Equal("ArchPrefixed", rows[1]["TagKind"].Value.ToString());
        Assert.Contains("newest release is 2.11.0", (string)rows[2]["Message"].Value, StringComparison.Ordinal);

        // The listing reads tags the same way and shows versions as the tags write them.
        var listing = Run("Get-RenkuImageTag $os | ForEach-Object { '{0}|{1}|{2}' -f $_.Name, $_.Kind, $_.Version }", ("os", os)).ShouldSucceed();
        Assert.Equal(new[] { "24.04|Semver|24.04", "24.04b1|Semver|24.04b1", "22.10|Semver|22.10", "22.04|Semver|22.04", "18.04|Semver|18.04" }, listing.Output.Take(5).Select(o => o.BaseObject.ToString()));
        Assert.Contains("jammy|Other|", listing.Output.Select(o => o.BaseObject.ToString()));

        string dir = Directory.CreateTempSubdirectory("renku-ps-commit-").FullName;
        try
        {
            string dockerfile = Path.Combine(dir, "Dockerfile");
            File.WriteAllText(dockerfile, $"FROM {py}:abc1234\nUSER renku\n");
            var moved = Run("Update-RenkuImageTag -LiteralPath $file -Level Patch -PinDigest -Confirm:$false", ("file", dockerfile)).ShouldSucceed();
            Assert.True((bool)Assert.Single(moved.Output).Properties["Applied"].Value);
            Assert.Equal($"FROM {py}:2.10.1@{registry.Digests["renku/py"]["2.10.1"]}\nUSER renku\n", File.ReadAllText(dockerfile));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BadInputGivesClearErrorIdsAndNoRows()
    {
        var range = Run("Get-RenkuImageUpgrade 'python:3.12' -VersionRange '[3.0,,'");
        Assert.Empty(range.Output);
        Assert.Contains("InvalidVersionRange,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand", range.ErrorIds);

        var missing = Run("Get-RenkuImageUpgrade -LiteralPath $file", ("file", "/nonexistent/renku-ps/Dockerfile"));
        Assert.Empty(missing.Output);
        Assert.Contains("DockerfileNotFound,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand", missing.ErrorIds);

        var shapeless = Run("[pscustomobject]@{ Name = 'no image here' } | Get-RenkuImageUpgrade");
        Assert.Empty(shapeless.Output);
        Assert.Contains("InvalidUpgradeInput,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand", shapeless.ErrorIds);

        var unreadable = Run("@{ Image = '127.0.0.1:9/team/lab:1.0.0'; Port = 'eighty' }, [pscustomobject]@{ container_image = '127.0.0.1:9/team/lab:1.0.0'; uid = '1.5' } | Get-RenkuImageUpgrade");
        Assert.Empty(unreadable.Output);
        Assert.Equal(new[] { "InvalidUpgradeInput,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand", "InvalidUpgradeInput,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand" }, unreadable.ErrorIds);
        Assert.Contains("not a whole number", unreadable.Errors[1].Exception.Message, StringComparison.Ordinal);

        var record = Path.Combine(Path.GetTempPath(), "renku-ps-bad-record-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(record, "not json");
        try
        {
            var broken = Run("Get-RenkuImageUpgrade 'python:3.12' -RecordDigest $record", ("record", record));
            Assert.Empty(broken.Output);
            Assert.Contains("InvalidDigestRecord,Renku.PowerShell.Commands.Upgrades.GetRenkuImageUpgradeCommand", broken.ErrorIds);
        }
        finally
        {
            File.Delete(record);
        }
    }

    private static PowerShellResult Run(string script, params (string Name, string Value)[] variables) =>
        ModuleHost.Run(script, variables.ToDictionary(v => v.Name, v => (object?)v.Value));

    /// <summary>One registry for the class, seeded with Renku-like tag sets.</summary>
    public sealed class SeededRegistry : IDisposable
    {
        private readonly RegistryServer? server;

        public SeededRegistry()
        {
            if (Requires.Which("docker-registry") is null)
            {
                return;
            }

            server = RegistryServer.Start();
            Push("renku/app", new[]
            {
                "2.9.0", "2.10.0", "2.10.1", "2.10.3", "2.11.0", "2.11.1", "3.0.0", "3.1.0-rc.1", "latest", "abc1234", "def5678",
                "amd64-abc1234", "arm64-abc1234", "2.10.3-python3.12", "2.11.0-python3.12", "2.11.0-python3.13", "v2.10.3",
            });
            Push("renku/big", Enumerable.Range(0, 13).SelectMany(major => Enumerable.Range(0, 100).Select(minor => $"{major}.{minor}.0")));
            PushRenkuScheme("renku/py");
            Push("renku/os", new[] { "18.04", "22.04", "22.10", "24.04", "24.04b1", "jammy", "noble", "latest" });
        }

        public Dictionary<string, IReadOnlyDictionary<string, string>> Digests { get; } = new();

        public string Image(string repository)
        {
            Requires.Part(server is not null, "docker-registry", "install it with 'apt-get install docker-registry'");
            return server!.Host + "/" + repository;
        }

        public void Push(string repository, IEnumerable<string> tags, string? revision = null)
        {
            using var seeder = new RegistrySeeder(server!);
            IReadOnlyDictionary<string, string> pushed = seeder.PushTagsAsync(repository, tags, distinctDigests: true, revision: revision).GetAwaiter().GetResult();
            var merged = Digests.TryGetValue(repository, out var existing) ? new Dictionary<string, string>(existing) : new Dictionary<string, string>();
            foreach (var pair in pushed)
            {
                merged[pair.Key] = pair.Value;
            }

            Digests[repository] = merged;
        }

        /// <summary>
        /// Renku's tags: a release and its 7-character commit name one multi-platform index,
        /// <c>amd64-&lt;commit&gt;</c> names the amd64 image inside it; a newer release; a commit of its own.
        /// </summary>
        public void PushRenkuScheme(string repository)
        {
            using var pusher = new RegistryPusher(server!.BaseUri);
            var release = new[] { SampleImages.Small("linux/amd64", version: "3.20.1"), SampleImages.Small("linux/arm64", version: "3.20.1") };
            var index = TestImage.Index(release);
            pusher.PushIndex(repository, "2.10.1", release, index);
            pusher.PushManifest(repository, "abc1234", index.Index);
            pusher.PushManifest(repository, "amd64-abc1234", release[0].Manifest);
            var newer = new[] { SampleImages.Small("linux/amd64", version: "3.21.0") };
            pusher.PushIndex(repository, "2.11.0", newer, TestImage.Index(newer));
            pusher.Push(repository, "fedcba9", SampleImages.Small("linux/amd64", version: "3.19.9"));
            pusher.Push(repository, "2.9.0", SampleImages.Small("linux/amd64", version: "3.19.0"));
            Digests[repository] = new Dictionary<string, string> { ["2.10.1"] = index.Index.Digest };
        }

        public void Dispose() => server?.Dispose();
    }
}
