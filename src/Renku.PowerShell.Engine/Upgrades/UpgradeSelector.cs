using System.Text.RegularExpressions;

using NuGet.Versioning;

namespace Renku.PowerShell.Upgrades;

/// <summary>Compares a tag in use with the tags a repository lists and chooses the upgrade.</summary>
public static class UpgradeSelector
{
    /// <summary>How many release tags a commit tag is compared with, newest first, to find its release.</summary>
    public const int MaxReleasesCompared = 64;

    private static readonly Regex Numbers = new(@"\d+", RegexOptions.CultureInvariant);

    public static UpgradeAnalysis Analyze(TagVersion current, IEnumerable<string> availableTags, UpgradePolicy policy)
    {
        List<TagVersion> all = Read(availableTags);
        bool exists = all.Any(t => string.Equals(t.Tag, current.Tag, StringComparison.Ordinal));

        if (current.Kind is TagKind.Missing or TagKind.Latest)
        {
            // Nothing pins the image: offer the newest release of the repository's usual scheme to pin to.
            string? scheme = DominantScheme(all);
            TagVersion? newest = Newest(all.Where(t => t.Scheme == scheme && (policy.AllowPrerelease || !t.IsPrerelease) && InRange(t, policy)));
            return new UpgradeAnalysis
            {
                Status = UpgradeStatus.Unpinned,
                Current = current,
                TagExists = exists,
                NewestMajor = newest?.Tag,
                Candidate = newest?.Tag,
                Note = newest is null ? "The repository lists no release to pin to." : $"Pin a release instead of '{current.Tag}'.",
            };
        }

        if (!current.IsVersion)
        {
            string? newest = NewestRelease(all)?.Tag;
            bool resolvable = current.IsCommit && exists;
            return new UpgradeAnalysis
            {
                Status = exists || current.Kind == TagKind.Digest ? UpgradeStatus.UnknownScheme : UpgradeStatus.TagMissing,
                Current = current,
                TagExists = exists,
                NewestMajor = newest,
                ResolveByDigest = resolvable,
                Note = resolvable
                    ? $"The tag '{current.Tag}' ({current.Kind}) names a commit; the release that points at the same image is found by digest. The newest release is {newest ?? "unknown"}."
                    : $"The tag '{current.Tag}' ({current.Kind}) has no version order; the newest release is {newest ?? "unknown"}.",
            };
        }

        NuGetVersion version = current.Version!;
        List<TagVersion> peers = all
            .Where(t => t.IsVersion && string.Equals(t.Stream, current.Stream, StringComparison.Ordinal))
            .Where(t => !policy.KeepPrecision || t.Precision == current.Precision)
            .Where(t => policy.AllowPrerelease || !t.IsPrerelease)
            .Where(t => TagVersion.Compare(t, current) > 0)
            .ToList();

        TagVersion? newestPatch = Newest(peers.Where(t => t.Version!.Major == version.Major && t.Version.Minor == version.Minor));
        TagVersion? newestMinor = Newest(peers.Where(t => t.Version!.Major == version.Major));
        TagVersion? newestMajor = Newest(peers);

        IReadOnlyList<string> newerStreams = NewerStreams(current, all);
        UpgradeStatus status =
            newestMajor is not null && newestMajor.Version!.Major > version.Major ? UpgradeStatus.MajorAvailable
            : newestMinor is not null && newestMinor.Version!.Minor > version.Minor ? UpgradeStatus.MinorAvailable
            : newestPatch is not null ? UpgradeStatus.PatchAvailable
            : newerStreams.Count > 0 ? UpgradeStatus.NewerStream
            : UpgradeStatus.UpToDate;

        IEnumerable<TagVersion> allowed = policy.Level switch
        {
            UpgradeLevel.Patch => peers.Where(t => t.Version!.Major == version.Major && t.Version.Minor == version.Minor),
            UpgradeLevel.Minor => peers.Where(t => t.Version!.Major == version.Major),
            _ => peers,
        };
        TagVersion? candidate = Newest(allowed.Where(t => InRange(t, policy)));

        return new UpgradeAnalysis
        {
            Status = exists ? status : UpgradeStatus.TagMissing,
            Current = current,
            TagExists = exists,
            NewestPatch = newestPatch?.Tag,
            NewestMinor = newestMinor?.Tag,
            NewestMajor = newestMajor?.Tag,
            Candidate = candidate?.Tag,
            NewerStreams = newerStreams,
            Note = !exists ? $"The registry does not list the tag '{current.Tag}'."
                : status == UpgradeStatus.NewerStream ? $"Up to date in its stream; newer streams exist: {string.Join(", ", newerStreams)}."
                : null,
        };
    }

    /// <summary>
    /// The analysis of a commit tag whose image a release tag also points at: everything is
    /// judged from that release, and the candidate is at least the release itself, so an update
    /// moves the commit tag to a release name.
    /// </summary>
    public static UpgradeAnalysis AnalyzeResolved(TagVersion current, TagVersion release, IEnumerable<string> availableTags, UpgradePolicy policy)
    {
        UpgradeAnalysis basis = Analyze(release, availableTags, policy);
        string? candidate = basis.Candidate ?? (InRange(release, policy) ? release.Tag : null);
        string next = basis.Candidate is null
            ? candidate is null ? "; the release is outside the version range, so nothing is chosen." : $"; the candidate is that release (same image, named by its version)."
            : $"; the policy moves it on to {basis.Candidate}.";
        return new UpgradeAnalysis
        {
            Status = basis.Status,
            Current = current,
            TagExists = true,
            ResolvedTag = release.Tag,
            NewestPatch = basis.NewestPatch,
            NewestMinor = basis.NewestMinor,
            NewestMajor = basis.NewestMajor,
            Candidate = candidate,
            NewerStreams = basis.NewerStreams,
            Note = $"The tag '{current.Tag}' ({current.Kind}) points at the same image as the release {release.Tag}" + next,
        };
    }

    /// <summary>A commit tag no compared release shares its image with: say so and name the newest release.</summary>
    public static UpgradeAnalysis Unresolved(UpgradeAnalysis analysis, int compared)
    {
        return new UpgradeAnalysis
        {
            Status = analysis.Status,
            Current = analysis.Current,
            TagExists = analysis.TagExists,
            NewestMajor = analysis.NewestMajor,
            Note = compared == 0
                ? $"The tag '{analysis.Current.Tag}' ({analysis.Current.Kind}) names a commit and the repository lists no release to compare it with."
                : $"No release tag points at the image of '{analysis.Current.Tag}' ({analysis.Current.Kind}; compared by digest with {Plural(compared, "release")}); the newest release is {analysis.NewestMajor ?? "unknown"}.",
        };
    }

    /// <summary>
    /// The release tags a commit tag is compared with by digest, in the order that picks the most
    /// useful match: the repository's usual scheme first, then the others, newest first within each.
    /// </summary>
    public static IReadOnlyList<TagVersion> ReleasesToCompare(IEnumerable<string> availableTags, UpgradePolicy policy)
    {
        List<TagVersion> all = Read(availableTags);
        string? scheme = DominantScheme(all);
        return all
            .Where(t => t.IsVersion && (policy.AllowPrerelease || !t.IsPrerelease))
            .OrderBy(t => t.Scheme == scheme ? 0 : 1)
            .ThenByDescending(t => t, Comparer<TagVersion>.Create(TagVersion.Compare))
            .ThenByDescending(t => t.Precision)
            .ThenBy(t => t.Tag, StringComparer.Ordinal)
            .Take(MaxReleasesCompared)
            .ToList();
    }

    /// <summary>
    /// The scheme (stream and number of parts) most of the repository's stable plain releases use:
    /// <c>1.0</c>, <c>1.1</c> for one repository, <c>2.10.3</c> for another, <c>22.04</c> for Ubuntu.
    /// Suffixed streams count only when there are no plain releases at all.
    /// </summary>
    internal static string? DominantScheme(IEnumerable<TagVersion> tags)
    {
        var stable = tags.Where(t => t.IsVersion && !t.IsPrerelease).ToList();
        var plain = stable.Where(t => t.Kind == TagKind.Semver).ToList();
        return (plain.Count > 0 ? plain : stable)
            .GroupBy(t => t.Scheme, StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .ThenByDescending(g => g.First().Precision)
            .ThenByDescending(g => g.Max(t => t.Version))
            .Select(g => g.Key)
            .FirstOrDefault();
    }

    private static List<TagVersion> Read(IEnumerable<string> availableTags) =>
        availableTags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).Select(t => TagVersion.Parse(t)).ToList();

    /// <summary>The newest stable release of the repository's usual scheme.</summary>
    private static TagVersion? NewestRelease(List<TagVersion> all)
    {
        string? scheme = DominantScheme(all);
        return Newest(all.Where(t => t.Scheme == scheme && !t.IsPrerelease));
    }

    private static bool InRange(TagVersion tag, UpgradePolicy policy) => policy.Range is null || policy.Range.Satisfies(tag.Version!);

    private static TagVersion? Newest(IEnumerable<TagVersion> tags) =>
        tags.OrderByDescending(t => t, Comparer<TagVersion>.Create(TagVersion.Compare)).ThenByDescending(t => t.Precision).ThenBy(t => t.Tag, StringComparer.Ordinal).FirstOrDefault();

    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    /// <summary>
    /// Sibling streams whose suffix (or Renku 1.x prefix) has the same shape with higher numbers,
    /// such as <c>python3.13</c> beside <c>python3.12</c>; the newest tag of each is reported. Only
    /// releases at least as new as the current one count: beside <c>1803-KB4487017</c>, the
    /// higher KB number of <c>1607-KB4487026</c> is an older Windows release, not a newer stream.
    /// </summary>
    private static IReadOnlyList<string> NewerStreams(TagVersion current, List<TagVersion> all)
    {
        string? marker = current.Suffix ?? current.Prefix;
        if (marker is null)
        {
            return Array.Empty<string>();
        }

        string shape = Numbers.Replace(marker, "#");
        long[] currentNumbers = NumbersOf(marker);
        return all
            .Where(t => t.IsVersion && !t.IsPrerelease && t.Stream != current.Stream && TagVersion.Compare(t, current) >= 0)
            .Select(t => (Tag: t, Marker: current.Suffix is not null ? t.Suffix : t.Prefix))
            .Where(x => x.Marker is not null && Numbers.Replace(x.Marker, "#") == shape && Compare(NumbersOf(x.Marker), currentNumbers) > 0)
            .GroupBy(x => x.Tag.Stream, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(x => x.Tag, Comparer<TagVersion>.Create(TagVersion.Compare)).First().Tag.Tag)
            .OrderBy(t => t, StringComparer.Ordinal)
            .ToList();
    }

    private static long[] NumbersOf(string text) => Numbers.Matches(text).Select(m => long.TryParse(m.Value, out long n) ? n : 0).ToArray();

    private static int Compare(long[] left, long[] right)
    {
        for (int i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            int c = left[i].CompareTo(right[i]);
            if (c != 0)
            {
                return c;
            }
        }

        return left.Length.CompareTo(right.Length);
    }
}
