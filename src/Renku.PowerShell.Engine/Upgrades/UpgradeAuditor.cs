using Renku.PowerShell.Concurrency;

namespace Renku.PowerShell.Upgrades;

/// <summary>
/// Audits many image references at once: each repository's tags are listed exactly once per
/// run, repositories are listed concurrently (bounded), and every input gets one row, including
/// a RegistryError row when its registry could not be asked.
/// </summary>
public sealed class UpgradeAuditor
{
    private readonly ITagCatalog catalog;
    private readonly UpgradePolicy policy;
    private readonly int throttle;

    public UpgradeAuditor(ITagCatalog catalog, UpgradePolicy policy, int throttle = 8)
    {
        if (throttle < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(throttle), "At least one repository must be listed at a time.");
        }

        this.catalog = catalog;
        this.policy = policy;
        this.throttle = throttle;
    }

    /// <summary>
    /// Audits <paramref name="inputs"/>. With <paramref name="digestRecord"/>, the current digest of
    /// every tag is looked up and compared with the record, and new tags are added to it.
    /// <paramref name="progress"/> is called from worker threads.
    /// </summary>
    public async Task<IReadOnlyList<ImageUpgrade>> AuditAsync(
        IReadOnlyList<UpgradeInput> inputs,
        DigestRecord? digestRecord,
        Action<AuditProgress>? progress,
        CancellationToken cancellationToken)
    {
        var parsed = inputs.Select(i => i.Unresolved is not null
            ? (Input: i, Reference: null, Error: i.Unresolved)
            : (Input: i, Reference: ImageReference.TryParse(i.Image, out ImageReference? r, out string? error) ? r : null, Error: error)).ToList();

        // One listing per repository, however many inputs share it.
        var repositories = parsed.Where(p => p.Reference is not null).Select(p => p.Reference!.Name).Distinct(StringComparer.Ordinal).ToList();
        var listings = new StartedOnce<IReadOnlyList<string>>();
        int done = 0;
        using var gate = new SemaphoreSlim(throttle);

        async Task<IReadOnlyList<string>> ListAsync(ImageReference reference)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await catalog.ListTagsAsync(reference, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
                progress?.Invoke(new AuditProgress(Interlocked.Increment(ref done), repositories.Count, reference.Name));
            }
        }

        foreach (var item in parsed.Where(p => p.Reference is not null))
        {
            _ = listings.GetOrStart(item.Reference!.Name, () => ListAsync(item.Reference!));
        }

        try
        {
            await Task.WhenAll(listings.All).ConfigureAwait(false);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // Failed listings become RegistryError rows below; the others go on.
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Digests: of every chosen candidate, and of every tag in use when a record is kept.
        var digests = new StartedOnce<string?>();

        async Task<string?> DigestAsync(ImageReference reference)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await catalog.ResolveDigestAsync(reference, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            finally
            {
                gate.Release();
            }
        }

        var analyses = new List<(UpgradeInput Input, ImageReference? Reference, string? Error, UpgradeAnalysis? Analysis, string? ListingError)>();
        foreach (var item in parsed)
        {
            if (item.Reference is null)
            {
                analyses.Add((item.Input, null, item.Error, null, null));
                continue;
            }

            Task<IReadOnlyList<string>> listing = listings[item.Reference.Name];
            if (!listing.IsCompletedSuccessfully)
            {
                Exception? failure = listing.Exception?.GetBaseException();
                analyses.Add((item.Input, item.Reference, null, null, failure?.Message ?? "The tag list could not be read."));
                continue;
            }

            UpgradeAnalysis analysis = UpgradeSelector.Analyze(TagVersion.Parse(item.Reference.Tag, item.Reference.TagSpecified), listing.Result, policy);
            analyses.Add((item.Input, item.Reference, null, analysis, null));
        }

        // Commit tags: the release that points at the same image, found by digest (one search per tag, however many inputs use it).
        var manifests = new StartedOnce<IReadOnlyList<string>?>();
        var resolutions = new StartedOnce<(TagVersion? Release, int Compared)>();

        async Task<IReadOnlyList<string>?> ManifestDigestsAsync(ImageReference reference)
        {
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await catalog.ResolveManifestDigestsAsync(reference, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (!cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            finally
            {
                gate.Release();
            }
        }

        Task<IReadOnlyList<string>?> LookUp(ImageReference reference) => manifests.GetOrStart(reference.FullName, () => ManifestDigestsAsync(reference));

        async Task<(TagVersion? Release, int Compared)> ResolveAsync(ImageReference reference, IReadOnlyList<string> tags)
        {
            IReadOnlyList<string>? own = await LookUp(reference).ConfigureAwait(false);
            IReadOnlyList<TagVersion> releases = UpgradeSelector.ReleasesToCompare(tags, policy);
            if (own is null || own.Count == 0)
            {
                return (null, 0);
            }

            // Newest first, a batch at a time, so a match near the top costs few requests.
            for (int start = 0; start < releases.Count; start += throttle)
            {
                var batch = releases.Skip(start).Take(throttle).Select(r => (Release: r, Digests: LookUp(reference.WithTag(r.Tag)))).ToList();
                await Task.WhenAll(batch.Select(b => b.Digests)).ConfigureAwait(false);
                for (int j = 0; j < batch.Count; j++)
                {
                    if (batch[j].Digests.Result is { Count: > 0 } theirs && SameImage(own, theirs))
                    {
                        return (batch[j].Release, start + j + 1);
                    }
                }
            }

            return (null, releases.Count);
        }

        for (int i = 0; i < analyses.Count; i++)
        {
            var (input, reference, _, analysis, _) = analyses[i];
            if (analysis is { ResolveByDigest: true } && reference is not null)
            {
                IReadOnlyList<string> tags = listings[reference.Name].Result;
                _ = resolutions.GetOrStart(reference.FullName, () => ResolveAsync(reference, tags));
            }
        }

        await Task.WhenAll(resolutions.All).ConfigureAwait(false);
        for (int i = 0; i < analyses.Count; i++)
        {
            var (input, reference, error, analysis, listingError) = analyses[i];
            if (analysis is { ResolveByDigest: true } && reference is not null)
            {
                (TagVersion? release, int compared) = resolutions[reference.FullName].Result;
                UpgradeAnalysis resolved = release is null
                    ? UpgradeSelector.Unresolved(analysis, compared)
                    : UpgradeSelector.AnalyzeResolved(analysis.Current, release, listings[reference.Name].Result, policy);
                analyses[i] = (input, reference, error, resolved, listingError);
            }
        }

        foreach (var (_, reference, _, analysis, _) in analyses)
        {
            if (reference is null || analysis is null)
            {
                continue;
            }

            if (analysis.Candidate is not null)
            {
                ImageReference candidate = reference.WithTag(analysis.Candidate);
                _ = digests.GetOrStart(candidate.FullName, () => DigestAsync(candidate));
            }

            if (digestRecord is not null && reference.Tag is not null && reference.TagSpecified && analysis.TagExists)
            {
                ImageReference current = reference.Digest is null ? reference : reference.WithTag(reference.Tag);
                _ = digests.GetOrStart(current.FullName, () => DigestAsync(current));
            }
        }

        await Task.WhenAll(digests.All).ConfigureAwait(false);

        var rows = new List<ImageUpgrade>(analyses.Count);
        foreach (var (input, reference, error, analysis, listingError) in analyses)
        {
            if (reference is null)
            {
                rows.Add(new ImageUpgrade
                {
                    Source = input.Source, SourceKind = input.SourceKind, EnvironmentId = input.EnvironmentId, EnvironmentName = input.EnvironmentName,
                    Path = input.Path, Line = input.Line, Settings = input.Settings, Image = input.Image, Status = UpgradeStatus.UnknownScheme, TagKind = TagKind.Other,
                    Message = error, Input = input,
                });
                continue;
            }

            if (analysis is null)
            {
                rows.Add(new ImageUpgrade
                {
                    Source = input.Source, SourceKind = input.SourceKind, EnvironmentId = input.EnvironmentId, EnvironmentName = input.EnvironmentName,
                    Path = input.Path, Line = input.Line, Settings = input.Settings, Image = input.Image, Repository = reference.Name, CurrentTag = reference.Tag,
                    TagKind = reference.TagKind, Status = UpgradeStatus.RegistryError, Message = listingError, Input = input,
                });
                continue;
            }

            string? candidateImage = analysis.Candidate is null ? null : reference.WithTag(analysis.Candidate).FullName;
            string? candidateDigest = candidateImage is not null && digests.TryGetValue(candidateImage, out Task<string?>? c) ? c.Result : null;

            string? recorded = null;
            string? currentDigest = null;
            bool changed = false;
            if (digestRecord is not null && reference.Tag is not null && reference.TagSpecified)
            {
                string key = reference.Name + ":" + reference.Tag;
                ImageReference current = reference.Digest is null ? reference : reference.WithTag(reference.Tag);
                currentDigest = digests.TryGetValue(current.FullName, out Task<string?>? d) ? d.Result : null;
                recorded = digestRecord.Get(key);
                if (currentDigest is not null)
                {
                    changed = recorded is not null && !string.Equals(recorded, currentDigest, StringComparison.Ordinal);
                    digestRecord.Observe(key, currentDigest);
                }
            }

            rows.Add(new ImageUpgrade
            {
                Source = input.Source,
                SourceKind = input.SourceKind,
                EnvironmentId = input.EnvironmentId,
                EnvironmentName = input.EnvironmentName,
                Path = input.Path,
                Line = input.Line,
                Settings = input.Settings,
                Image = input.Image,
                Repository = reference.Name,
                CurrentTag = reference.Tag,
                TagKind = analysis.Current.Kind,
                ResolvedTag = analysis.ResolvedTag,
                NewestPatch = analysis.NewestPatch,
                NewestMinor = analysis.NewestMinor,
                NewestMajor = analysis.NewestMajor,
                Candidate = analysis.Candidate,
                CandidateImage = candidateImage,
                CandidateDigest = candidateDigest,
                Status = analysis.Status,
                NewerStreams = analysis.NewerStreams,
                Message = changed ? $"The tag {reference.Tag} was pushed again: it pointed at {recorded} and now points at {currentDigest}." : analysis.Note,
                RecordedDigest = recorded,
                CurrentDigest = currentDigest,
                DigestChanged = changed,
                Input = input,
            });
        }

        return rows;
    }

    /// <summary>
    /// Two tags name the same image when they point at the same manifest, or one points at an
    /// index that holds the other's manifest (<c>amd64-1a2b3c4</c> inside the index of <c>2.10.3</c>).
    /// </summary>
    private static bool SameImage(IReadOnlyList<string> own, IReadOnlyList<string> theirs) =>
        string.Equals(own[0], theirs[0], StringComparison.Ordinal)
        || theirs.Skip(1).Contains(own[0], StringComparer.Ordinal)
        || own.Skip(1).Contains(theirs[0], StringComparer.Ordinal);
}
