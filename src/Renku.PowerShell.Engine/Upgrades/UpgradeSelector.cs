using System.Text.RegularExpressions;

using NuGet.Versioning;

namespace Renku.PowerShell.Upgrades;

/// <summary>Compares a tag in use with the tags a repository lists and chooses the upgrade.</summary>
public static class UpgradeSelector
{
    private static readonly Regex Numbers = new(@"\d+", RegexOptions.CultureInvariant);

    public static UpgradeAnalysis Analyze(TagVersion current, IEnumerable<string> availableTags, UpgradePolicy policy)
    {
        List<TagVersion> all = availableTags.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct(StringComparer.Ordinal).Select(t => TagVersion.Parse(t)).ToList();
        bool exists = all.Any(t => string.Equals(t.Tag, current.Tag, StringComparison.Ordinal));

        if (current.Kind is TagKind.Missing or TagKind.Latest)
        {
            // Nothing pins the image: offer the newest stable full release to pin to.
            TagVersion? newest = Newest(all.Where(t => t.Kind == TagKind.Semver && !t.HasVPrefix && t.Precision == 3 && (policy.AllowPrerelease || !t.IsPrerelease) && InRange(t, policy)));
            return new UpgradeAnalysis
            {
                Status = UpgradeStatus.Unpinned,
                Current = current,
                TagExists = exists,
                NewestMajor = newest?.Tag,
                Candidate = newest?.Tag,
                Note = newest is null ? "The repository lists no semver release to pin to." : $"Pin a release instead of '{current.Tag}'.",
            };
        }

        if (!current.IsVersion)
        {
            TagVersion? newest = Newest(all.Where(t => t.Kind == TagKind.Semver && !t.HasVPrefix && !t.IsPrerelease));
            return new UpgradeAnalysis
            {
                Status = exists || current.Kind == TagKind.Digest ? UpgradeStatus.UnknownScheme : UpgradeStatus.TagMissing,
                Current = current,
                TagExists = exists,
                NewestMajor = newest?.Tag,
                Note = $"The tag '{current.Tag}' ({current.Kind}) has no version order; the newest release is {newest?.Tag ?? "unknown"}.",
            };
        }

        NuGetVersion version = current.Version!;
        List<TagVersion> peers = all
            .Where(t => t.IsVersion && string.Equals(t.Stream, current.Stream, StringComparison.Ordinal))
            .Where(t => !policy.KeepPrecision || t.Precision == current.Precision)
            .Where(t => policy.AllowPrerelease || !t.IsPrerelease)
            .Where(t => t.Version! > version)
            .ToList();

        TagVersion? newestPatch = Newest(peers.Where(t => t.Version!.Major == version.Major && t.Version.Minor == version.Minor));
        TagVersion? newestMinor = Newest(peers.Where(t => t.Version!.Major == version.Major));
        TagVersion? newestMajor = Newest(peers);

        UpgradeStatus status =
            newestMajor is not null && newestMajor.Version!.Major > version.Major ? UpgradeStatus.MajorAvailable
            : newestMinor is not null && newestMinor.Version!.Minor > version.Minor ? UpgradeStatus.MinorAvailable
            : newestPatch is not null ? UpgradeStatus.PatchAvailable
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
            NewerStreams = NewerStreams(current, all),
            Note = exists ? null : $"The registry does not list the tag '{current.Tag}'.",
        };
    }

    private static bool InRange(TagVersion tag, UpgradePolicy policy) => policy.Range is null || policy.Range.Satisfies(tag.Version!);

    private static TagVersion? Newest(IEnumerable<TagVersion> tags) =>
        tags.OrderByDescending(t => t.Version).ThenByDescending(t => t.Precision).ThenBy(t => t.Tag, StringComparer.Ordinal).FirstOrDefault();

    /// <summary>
    /// Sibling streams whose suffix (or Renku 1.x prefix) has the same shape with higher numbers,
    /// such as <c>python3.13</c> beside <c>python3.12</c>; the newest tag of each is reported.
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
            .Where(t => t.IsVersion && !t.IsPrerelease && t.Stream != current.Stream)
            .Select(t => (Tag: t, Marker: current.Suffix is not null ? t.Suffix : t.Prefix))
            .Where(x => x.Marker is not null && Numbers.Replace(x.Marker, "#") == shape && Compare(NumbersOf(x.Marker), currentNumbers) > 0)
            .GroupBy(x => x.Tag.Stream, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(x => x.Tag.Version).First().Tag.Tag)
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
