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

        public Task<string> ResolveDigestAsync(ImageReference reference, CancellationToken cancellationToken) =>
            Task.FromResult(Digests.TryGetValue(reference.Name + ":" + reference.Tag, out string? digest) ? digest : "sha256:" + new string('1', 64));
    }
}
