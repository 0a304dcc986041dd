using Renku.PowerShell.Platforms;

namespace Renku.PowerShell.Compliance;

/// <summary>Rules on where Renku runs the environment: the platforms of the pools its launchers use.</summary>
internal static class PlatformFitRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKC018", "LaunchPlatformsOffered", "Platform", ComplianceSeverity.Error,
            "The image offers the platform of every resource pool its launchers run on (the default pool's default class for a launcher that names none).",
            "Add the pool's platform to the image (docker buildx build --platform linux/amd64,linux/arm64 ...), or move the launcher to a resource class of a pool whose platform the image offers.",
            LaunchPlatformsOffered);
    }

    private static RuleVerdict LaunchPlatformsOffered(ComplianceContext context)
    {
        IReadOnlyList<LaunchPlatform>? launches = context.Request.Launches;
        if (launches is null)
        {
            return RuleVerdict.Skip("The launchers and resource pools were not read (check a global environment with a Renku connection to judge where its sessions run).");
        }

        if (launches.Count == 0)
        {
            return RuleVerdict.Skip("No launcher starts this environment, so no pool platform applies.");
        }

        IReadOnlyList<ImagePlatform> offered = LaunchPlatforms.OfferedBy(context.Image, context.Request.PlatformCheck);
        if (offered.Count == 0)
        {
            return RuleVerdict.Skip("The image's platforms are not known (neither its registry index nor Renku's pull check named them).");
        }

        string evidence = "image offers " + string.Join(", ", offered) + "; " + string.Join("; ", launches);
        IReadOnlyList<LaunchPlatform> mismatches = LaunchPlatforms.Mismatches(launches, offered);
        if (mismatches.Count == 0)
        {
            int known = launches.Count(l => l.Platform is not null);
            return known == 0
                ? RuleVerdict.Skip("The resource classes of the launchers are not among the pools this connection can read.", evidence)
                : RuleVerdict.Pass($"Every launcher runs on a platform the image offers ({string.Join(", ", launches.Where(l => l.Platform is not null).Select(l => l.Platform).Distinct(StringComparer.OrdinalIgnoreCase))}).", evidence);
        }

        string which = string.Join("; ", mismatches.Select(m => $"launcher '{m.LauncherName}' runs on the pool '{m.PoolName}' ({m.Platform}{(m.ByDefault ? ", the default pool" : string.Empty)})"));
        return RuleVerdict.Fail(
            $"The image offers only {string.Join(", ", offered)}, but {which}; its sessions cannot start there. Add {string.Join(", ", mismatches.Select(m => m.Platform).Distinct(StringComparer.OrdinalIgnoreCase))} to the image, or move the launcher to a pool of a platform the image offers.",
            evidence);
    }
}
