using System.Collections.Concurrent;

using Renku.PowerShell.Upgrades;

using Xunit;
using Renku.PowerShell.Registry;

namespace Renku.PowerShell.Engine.Tests.Upgrades;

public class UpgradeAuditorTests
{
    [Fact]
    public async Task ListsEachRepositoryOnceAndBoundsConcurrency()
    {
        var catalog = new FakeCatalog(delay: TimeSpan.FromMilliseconds(20));
        for (int r = 0; r < 20; r++)
        {
            catalog.Tags[$"registry.example.org/team/img{r}"] = new[] { "1.0.0", "1.0.1", "1.1.0", "2.0.0" };
        }

        var inputs = Enumerable.Range(0, 200).Select(i => new UpgradeInput { Image = $"registry.example.org/team/img{i % 20}:1.0.0", Source = "env" + i, SourceKind = UpgradeSourceKind.Environment }).ToList();
        var progress = new ConcurrentBag<AuditProgress>();
        IReadOnlyList<ImageUpgrade> rows = await new UpgradeAuditor(catalog, new UpgradePolicy(), throttle: 4).AuditAsync(inputs, null, progress.Add, CancellationToken.None);

        Assert.Equal(200, rows.Count);
        Assert.All(catalog.ListCalls.Values, count => Assert.Equal(1, count));
        Assert.Equal(20, catalog.ListCalls.Count);
        Assert.InRange(catalog.MaxConcurrent, 2, 4);
        Assert.All(rows, r => Assert.Equal("1.1.0", r.Candidate));
        Assert.All(rows, r => Assert.Equal(UpgradeStatus.MajorAvailable, r.Status));
        Assert.All(rows, r => Assert.Equal("sha256:" + new string('1', 64), r.CandidateDigest));
        Assert.Equal(20, progress.Count);
        Assert.Contains(progress, p => p.RepositoriesDone == 20 && p.RepositoryCount == 20);

        // Rows keep the input order and sources.
        Assert.Equal(inputs.Select(i => i.Source), rows.Select(r => r.Source));
    }

    [Fact]
    public async Task ARegistryFailureGivesRegistryErrorRowsAndTheRestGoesOn()
    {
        var catalog = new FakeCatalog();
        catalog.Tags["ghcr.io/ok/app"] = new[] { "1.0.0", "1.2.0" };
        catalog.Failures["ghcr.io/down/app"] = new HttpRequestException("connection refused");
        var inputs = new[]
        {
            new UpgradeInput { Image = "ghcr.io/ok/app:1.0.0", Source = "a" },
            new UpgradeInput { Image = "ghcr.io/down/app:1.0.0", Source = "b" },
            new UpgradeInput { Image = "Not A Reference", Source = "c" },
        };
        IReadOnlyList<ImageUpgrade> rows = await new UpgradeAuditor(catalog, new UpgradePolicy()).AuditAsync(inputs, null, null, CancellationToken.None);
        Assert.Equal(UpgradeStatus.MinorAvailable, rows[0].Status);
        Assert.Equal(UpgradeStatus.RegistryError, rows[1].Status);
        Assert.Contains("connection refused", rows[1].Message, StringComparison.Ordinal);
        Assert.Equal(UpgradeStatus.UnknownScheme, rows[2].Status);
        Assert.False(string.IsNullOrEmpty(rows[2].Message));
    }

    [Fact]
    public async Task ADigestRecordCatchesATagPushedAgain()
    {
        string path = Path.Combine(Path.GetTempPath(), "renku-ps-digests-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        try
        {
            var catalog = new FakeCatalog();
            catalog.Tags["ghcr.io/o/app"] = new[] { "1.0.0", "1.1.0" };
            catalog.Digests["ghcr.io/o/app:1.0.0"] = "sha256:" + new string('a', 64);
            var inputs = new[] { new UpgradeInput { Image = "ghcr.io/o/app:1.0.0", Source = "x" } };
            var auditor = new UpgradeAuditor(catalog, new UpgradePolicy());

            DigestRecord first = DigestRecord.Open(path);
            ImageUpgrade row = (await auditor.AuditAsync(inputs, first, null, CancellationToken.None)).Single();
            first.Save();
            Assert.False(row.DigestChanged);
            Assert.Null(row.RecordedDigest);
            Assert.Equal("sha256:" + new string('a', 64), row.CurrentDigest);

            // Same digest: no change.
            row = (await auditor.AuditAsync(inputs, DigestRecord.Open(path), null, CancellationToken.None)).Single();
            Assert.False(row.DigestChanged);

            // The tag was pushed again.
            catalog.Digests["ghcr.io/o/app:1.0.0"] = "sha256:" + new string('b', 64);
            DigestRecord third = DigestRecord.Open(path);
            row = (await auditor.AuditAsync(inputs, third, null, CancellationToken.None)).Single();
            third.Save();
            Assert.True(row.DigestChanged);
            Assert.Equal("sha256:" + new string('a', 64), row.RecordedDigest);
            Assert.Equal("sha256:" + new string('b', 64), row.CurrentDigest);

            // The change keeps being reported until the entry is removed.
            Assert.True((await auditor.AuditAsync(inputs, DigestRecord.Open(path), null, CancellationToken.None)).Single().DigestChanged);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ABrokenDigestRecordIsAFormatError()
    {
        string path = Path.Combine(Path.GetTempPath(), "renku-ps-digests-" + Guid.NewGuid().ToString("N")[..8] + ".json");
        File.WriteAllText(path, "[1, 2");
        try
        {
            Assert.Throws<FormatException>(() => DigestRecord.Open(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task CancellationStopsTheAudit()
    {
        var catalog = new FakeCatalog(delay: TimeSpan.FromSeconds(30));
        catalog.Tags["ghcr.io/o/slow"] = new[] { "1.0.0" };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var started = DateTime.UtcNow;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new UpgradeAuditor(catalog, new UpgradePolicy()).AuditAsync(new[] { new UpgradeInput { Image = "ghcr.io/o/slow:1.0.0" } }, null, null, cts.Token));
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
    }

    private const string Repo = "ghcr.io/swissdatasciencecenter/renku/py-basic-jupyterlab";

    /// <summary>Renku's scheme: releases, the 7-character commit (an index) and per-architecture commit tags (its images).</summary>
    private static FakeCatalog RenkuCatalog()
    {
        var catalog = new FakeCatalog();
        catalog.Tags[Repo] = new[]
        {
            "2.9.0", "2.10.0", "2.10.1", "2.10.3", "2.11.0", "2.11.1", "3.0.0", "latest", "abc1234", "amd64-abc1234", "arm64-abc1234",
            "def5678", "amd64-def5678", "9f8e7d6", "2.10", "2.11",
        };
        string index = Sha("index-2.10.1"), amd64 = Sha("amd64-2.10.1"), arm64 = Sha("arm64-2.10.1");
        catalog.Manifests[Repo + ":2.10.1"] = new[] { index, amd64, arm64 };
        catalog.Manifests[Repo + ":abc1234"] = new[] { index, amd64, arm64 };
        catalog.Manifests[Repo + ":amd64-abc1234"] = new[] { amd64 };
        catalog.Manifests[Repo + ":arm64-abc1234"] = new[] { arm64 };

        // The newest release and its commit.
        string newest = Sha("index-3.0.0");
        catalog.Manifests[Repo + ":3.0.0"] = new[] { newest, Sha("amd64-3.0.0") };
        catalog.Manifests[Repo + ":latest"] = new[] { newest, Sha("amd64-3.0.0") };
        catalog.Manifests[Repo + ":def5678"] = new[] { newest, Sha("amd64-3.0.0") };
        catalog.Manifests[Repo + ":amd64-def5678"] = new[] { Sha("amd64-3.0.0") };
        return catalog;
    }

    [Theory]
    // tag in use      level               resolved  candidate  status
    [InlineData("abc1234", UpgradeLevel.Minor, "2.10.1", "2.11.1", UpgradeStatus.MajorAvailable)]
    [InlineData("abc1234", UpgradeLevel.Patch, "2.10.1", "2.10.3", UpgradeStatus.MajorAvailable)]
    [InlineData("amd64-abc1234", UpgradeLevel.Major, "2.10.1", "3.0.0", UpgradeStatus.MajorAvailable)]
    [InlineData("arm64-abc1234", UpgradeLevel.Minor, "2.10.1", "2.11.1", UpgradeStatus.MajorAvailable)]
    [InlineData("def5678", UpgradeLevel.Minor, "3.0.0", "3.0.0", UpgradeStatus.UpToDate)]
    [InlineData("amd64-def5678", UpgradeLevel.Minor, "3.0.0", "3.0.0", UpgradeStatus.UpToDate)]
    public async Task ACommitTagIsResolvedByDigestToTheReleaseOfTheSameImage(string tag, UpgradeLevel level, string resolved, string candidate, UpgradeStatus status)
    {
        FakeCatalog catalog = RenkuCatalog();
        var inputs = new[] { new UpgradeInput { Image = Repo + ":" + tag, Source = "env" } };
        ImageUpgrade row = Assert.Single(await new UpgradeAuditor(catalog, new UpgradePolicy { Level = level }).AuditAsync(inputs, null, null, CancellationToken.None));

        Assert.Equal(tag, row.CurrentTag);
        Assert.Equal(TagVersion.Parse(tag).Kind, row.TagKind);
        Assert.Equal(resolved, row.ResolvedTag);
        Assert.Equal(candidate, row.Candidate);
        Assert.Equal(Repo + ":" + candidate, row.CandidateImage);
        Assert.Equal(status, row.Status);
        Assert.Equal(status == UpgradeStatus.UpToDate ? null : "3.0.0", row.NewestMajor);
        Assert.Contains(resolved, row.Message, StringComparison.Ordinal);
        Assert.NotNull(row.CandidateDigest);
    }

    [Fact]
    public async Task ACommitTagNoReleaseSharesIsReportedWithTheNewestRelease()
    {
        FakeCatalog catalog = RenkuCatalog();
        var inputs = new[] { new UpgradeInput { Image = Repo + ":9f8e7d6", Source = "env" } };
        ImageUpgrade row = Assert.Single(await new UpgradeAuditor(catalog, new UpgradePolicy()).AuditAsync(inputs, null, null, CancellationToken.None));

        Assert.Equal(UpgradeStatus.UnknownScheme, row.Status);
        Assert.Null(row.ResolvedTag);
        Assert.Null(row.Candidate);
        Assert.Equal("3.0.0", row.NewestMajor);
        Assert.Contains("No release tag points at the image of '9f8e7d6'", row.Message, StringComparison.Ordinal);
        Assert.Contains("the newest release is 3.0.0", row.Message, StringComparison.Ordinal);

        // Every release was compared (9 of them), each looked up once, plus the commit itself.
        Assert.Equal(10, catalog.ManifestCalls.Count);
        Assert.All(catalog.ManifestCalls.Values, n => Assert.Equal(1, n));
    }

    [Fact]
    public async Task CommitResolutionsAreSharedAndBounded()
    {
        var catalog = new FakeCatalog();
        catalog.Tags["ghcr.io/o/many"] = Enumerable.Range(0, 500).Select(i => $"1.{i}.0").Append("abc1234").ToArray();
        var inputs = Enumerable.Range(0, 5).Select(i => new UpgradeInput { Image = "ghcr.io/o/many:abc1234", Source = "env" + i }).ToList();
        IReadOnlyList<ImageUpgrade> rows = await new UpgradeAuditor(catalog, new UpgradePolicy(), throttle: 4).AuditAsync(inputs, null, null, CancellationToken.None);

        Assert.All(rows, r => Assert.Equal(UpgradeStatus.UnknownScheme, r.Status));
        Assert.All(rows, r => Assert.Equal("1.499.0", r.NewestMajor));
        Assert.Equal(UpgradeSelector.MaxReleasesCompared + 1, catalog.ManifestCalls.Count);
        Assert.All(catalog.ManifestCalls.Values, n => Assert.Equal(1, n));
        Assert.Contains($"{UpgradeSelector.MaxReleasesCompared} releases", rows[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AResolvedCommitStopsComparingAtTheFirstMatchingBatch()
    {
        FakeCatalog catalog = RenkuCatalog();
        var inputs = new[] { new UpgradeInput { Image = Repo + ":def5678", Source = "env" } };
        _ = await new UpgradeAuditor(catalog, new UpgradePolicy(), throttle: 2).AuditAsync(inputs, null, null, CancellationToken.None);

        // The commit and the first batch of two (3.0.0 matches), nothing further down.
        Assert.Equal(new[] { Repo + ":2.11.1", Repo + ":3.0.0", Repo + ":def5678" }, catalog.ManifestCalls.Keys.OrderBy(k => k, StringComparer.Ordinal));
    }

    private sealed class FakeCatalog : ITagCatalog
    {
        private readonly TimeSpan delay;
        private int current;

        public FakeCatalog(TimeSpan? delay = null) => this.delay = delay ?? TimeSpan.Zero;

        public ConcurrentDictionary<string, string[]> Tags { get; } = new();

        public ConcurrentDictionary<string, Exception> Failures { get; } = new();

        public ConcurrentDictionary<string, string> Digests { get; } = new();

        public ConcurrentDictionary<string, int> ListCalls { get; } = new();

        public int MaxConcurrent { get; private set; }

        public async Task<IReadOnlyList<string>> ListTagsAsync(ImageReference repository, CancellationToken cancellationToken)
        {
            ListCalls.AddOrUpdate(repository.Name, 1, (_, n) => n + 1);
            int now = Interlocked.Increment(ref current);
            lock (this)
            {
                MaxConcurrent = Math.Max(MaxConcurrent, now);
            }

            try
            {
                await Task.Delay(delay, cancellationToken);
                if (Failures.TryGetValue(repository.Name, out Exception? failure))
                {
                    throw failure;
                }

                return Tags[repository.Name];
            }
            finally
            {
                Interlocked.Decrement(ref current);
            }
        }

        /// <summary>tag -> its digest, then (for an index) the digests of the images it holds; unlisted tags get a digest of their own.</summary>
        public ConcurrentDictionary<string, string[]> Manifests { get; } = new();

        public ConcurrentDictionary<string, int> ManifestCalls { get; } = new();

        public Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken) =>
            Task.FromResult(Digests.TryGetValue(reference.Name + ":" + reference.Tag, out string? digest) ? digest : "sha256:" + new string('1', 64));

        public Task<IReadOnlyList<string>> ResolveManifestDigestsAsync(ImageReference reference, CancellationToken cancellationToken)
        {
            string key = reference.Name + ":" + reference.Tag;
            ManifestCalls.AddOrUpdate(key, 1, (_, n) => n + 1);
            IReadOnlyList<string> digests = Manifests.TryGetValue(key, out string[]? known) ? known : new[] { Sha(key) };
            return Task.FromResult(digests);
        }
    }

    private static string Sha(string seed) =>
        "sha256:" + Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed))).ToLowerInvariant();
}
