namespace Renku.PowerShell.Platforms;

/// <summary>
/// Which platform each launcher's sessions run on, and whether an image offers it. A launcher
/// runs on the platform of its resource class's pool; a launcher that names no class gets the
/// default class of the default pool.
/// </summary>
public static class LaunchPlatforms
{
    /// <summary>One entry per launcher, in the launchers' order.</summary>
    public static IReadOnlyList<LaunchPlatform> Resolve(IEnumerable<SessionLauncher> launchers, IReadOnlyList<ResourcePool> pools)
    {
        ArgumentNullException.ThrowIfNull(launchers);
        ArgumentNullException.ThrowIfNull(pools);
        var byClass = new Dictionary<int, (ResourcePool Pool, ResourceClass Class)>();
        foreach (ResourcePool pool in pools)
        {
            foreach (ResourceClass cls in pool.Classes)
            {
                byClass.TryAdd(cls.Id, (pool, cls));
            }
        }

        ResourcePool? defaultPool = pools.FirstOrDefault(p => p.IsDefault);
        ResourceClass? defaultClass = defaultPool?.DefaultClass ?? defaultPool?.Classes.FirstOrDefault();
        return launchers.Select(launcher =>
        {
            bool byDefault = launcher.ResourceClassId is null;
            (ResourcePool Pool, ResourceClass Class)? found = byDefault
                ? defaultPool is null || defaultClass is null ? null : (defaultPool, defaultClass)
                : byClass.TryGetValue(launcher.ResourceClassId!.Value, out var named) ? named : null;
            return new LaunchPlatform
            {
                LauncherId = launcher.Id,
                LauncherName = launcher.Name,
                ProjectId = launcher.ProjectId,
                LauncherType = launcher.LauncherType,
                ResourceClassId = found?.Class.Id ?? launcher.ResourceClassId,
                ResourceClassName = found?.Class.Name,
                PoolId = found?.Pool.Id,
                PoolName = found?.Pool.Name,
                Platform = found is null || string.IsNullOrEmpty(found.Value.Pool.Platform) ? null : found.Value.Pool.Platform,
                ByDefault = byDefault,
            };
        }).ToList();
    }

    /// <summary>
    /// The launches whose platform <paramref name="offered"/> lacks. Launches of an unknown
    /// platform, and an image whose platforms are unknown (empty), give none.
    /// </summary>
    public static IReadOnlyList<LaunchPlatform> Mismatches(IEnumerable<LaunchPlatform> launches, IReadOnlyCollection<ImagePlatform> offered)
    {
        ArgumentNullException.ThrowIfNull(launches);
        ArgumentNullException.ThrowIfNull(offered);
        if (offered.Count == 0)
        {
            return Array.Empty<LaunchPlatform>();
        }

        return launches.Where(l => l.Platform is not null && !Offers(offered, l.Platform)).ToList();
    }

    /// <summary>True when an image of <paramref name="offered"/> platforms can run on <paramref name="platform"/> (<c>linux/arm64</c>).</summary>
    public static bool Offers(IEnumerable<ImagePlatform> offered, string platform)
    {
        // A platform that does not read as os/architecture cannot be judged: it is not called a mismatch.
        if (TryParse(platform) is not { } wanted)
        {
            return true;
        }

        return offered.Any(o => string.Equals(o.Os, wanted.Os, StringComparison.OrdinalIgnoreCase) && string.Equals(o.Architecture, wanted.Architecture, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The platforms an image offers: its index (or single manifest) when it was read, else Renku's answer.</summary>
    public static IReadOnlyList<ImagePlatform> OfferedBy(ImageInfo? image, PlatformImageCheck? renku)
    {
        if (image is not null)
        {
            IReadOnlyList<ImagePlatform> read = image.Platforms.Count > 0 ? image.Platforms : image.Platform is null ? Array.Empty<ImagePlatform>() : new[] { image.Platform };
            if (read.Count > 0)
            {
                return read;
            }
        }

        return renku?.Platforms.Select(TryParse).OfType<ImagePlatform>().ToList() ?? (IReadOnlyList<ImagePlatform>)Array.Empty<ImagePlatform>();
    }

    private static ImagePlatform? TryParse(string text)
    {
        try
        {
            return ImagePlatform.Parse(text);
        }
        catch (FormatException)
        {
            return null;
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
