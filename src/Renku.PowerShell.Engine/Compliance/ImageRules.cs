namespace Renku.PowerShell.Compliance;

/// <summary>Rules on what is inside the image: distribution and user.</summary>
internal static class ImageRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKC001", "DistributionIsDebianOrUbuntu", "Image", ComplianceSeverity.Error,
            "The image is based on an allowed distribution (Debian or Ubuntu).",
            "Build the image FROM a Debian or Ubuntu base (Renku's run image is Ubuntu 24.04).",
            Distribution);
        yield return new ComplianceRule(
            "RKC002", "UserIsNotRoot", "Image", ComplianceSeverity.Error,
            "The image's USER is not root.",
            "End the Dockerfile with 'USER renku' (a non-root user with uid and gid 1000).",
            NotRoot);
        yield return new ComplianceRule(
            "RKC003", "UserIs1000", "Image", ComplianceSeverity.Error,
            "The image's USER resolves to the required uid and gid (1000:1000).",
            "Create the user with 'groupadd -g 1000 renku && useradd -m -u 1000 -g 1000 renku' and set 'USER renku'.",
            UidGid);
        yield return new ComplianceRule(
            "RKC004", "UserIsNamedRenku", "Image", ComplianceSeverity.Warning,
            "The image user is named as in Renku's images (renku).",
            "Name the uid 1000 user 'renku' so that paths such as /home/renku match Renku's documentation.",
            UserName);
    }

    private static RuleVerdict Distribution(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        IReadOnlyList<string> allowed = context.Policy.AllowedDistributions;
        string evidence = $"os-release ID={image.OsId ?? "(none)"} VERSION_ID={image.OsVersion ?? "(none)"} ID_LIKE={(image.OsIdLike.Count == 0 ? "(none)" : string.Join(' ', image.OsIdLike))}";
        if (image.OsId is null)
        {
            return RuleVerdict.Fail(
                $"The image has no readable /etc/os-release (or /usr/lib/os-release), so its distribution is unknown; Renku supports {string.Join(" or ", allowed)} bases.",
                evidence);
        }

        string shown = image.OsPrettyName ?? $"{image.OsId} {image.OsVersion}".Trim();
        if (allowed.Contains(image.OsId, StringComparer.OrdinalIgnoreCase))
        {
            return RuleVerdict.Pass($"The image is {shown}.", evidence);
        }

        string? like = image.OsIdLike.FirstOrDefault(l => allowed.Contains(l, StringComparer.OrdinalIgnoreCase));
        if (like is not null)
        {
            return RuleVerdict.Pass($"The image is {shown}, a derivative of {like}.", evidence);
        }

        return RuleVerdict.Fail($"The image is {shown}; Renku expects a {string.Join(" or ", allowed)} base. Rebuild it on one of those.", evidence);
    }

    private static RuleVerdict NotRoot(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        string spec = image.User?.Spec ?? image.Config.User ?? string.Empty;
        string evidence = $"USER '{spec}'" + (image.User is null ? string.Empty : $" resolves to {image.User}");
        if (spec.Length == 0)
        {
            return RuleVerdict.Fail("The image sets no USER, so it runs as root. Add 'USER renku' (uid 1000) at the end of the Dockerfile.", evidence);
        }

        if (image.User?.Uid == 0 || spec is "root" or "0" || spec.StartsWith("root:", StringComparison.Ordinal) || spec.StartsWith("0:", StringComparison.Ordinal))
        {
            return RuleVerdict.Fail($"The image runs as root (USER '{spec}'). Switch back to a non-root user with 'USER renku' after the steps that need root.", evidence);
        }

        if (image.User is { Resolved: false, Uid: null })
        {
            return RuleVerdict.Fail($"USER '{spec}' is not in the image's /etc/passwd, so a container cannot start as it: {image.User.Problem}", evidence);
        }

        return RuleVerdict.Pass($"The image runs as {image.User?.ToString() ?? spec}.", evidence);
    }

    private static RuleVerdict UidGid(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        ImageUser? user = image.User;
        int uid = context.Policy.Uid;
        int gid = context.Policy.Gid;
        if (user is null || user.Uid is null)
        {
            string spec = user?.Spec ?? image.Config.User ?? string.Empty;
            return RuleVerdict.Fail($"The image user '{spec}' does not resolve to a uid ({user?.Problem ?? "no passwd entry"}); Renku's images run as {uid}:{gid}.", $"USER '{spec}'");
        }

        string evidence = $"USER '{user.Spec}' resolves to {user}";
        if (user.Uid == uid && user.Gid == gid)
        {
            return RuleVerdict.Pass($"The image user has uid {uid} and gid {gid}.", evidence);
        }

        string gidText = user.Gid?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(unknown)";
        return RuleVerdict.Fail($"The image user has uid {user.Uid} and gid {gidText}; it must be {uid}:{gid}. Create the user with that uid and gid (or change the policy's Uid/Gid).", evidence);
    }

    private static RuleVerdict UserName(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        ImageUser? user = image.User;
        string expected = context.Policy.UserName;
        if (user?.UserName is null)
        {
            return RuleVerdict.Fail($"The image user has no name in /etc/passwd; Renku's images call it '{expected}'. Add a passwd entry named '{expected}'.", $"USER '{user?.Spec ?? image.Config.User}'");
        }

        return string.Equals(user.UserName, expected, StringComparison.Ordinal)
            ? RuleVerdict.Pass($"The image user is '{expected}'.", $"USER '{user.Spec}' resolves to {user}")
            : RuleVerdict.Fail($"The image user is '{user.UserName}', not '{expected}' as in Renku's images; rename it (or change the policy's UserName) so paths like /home/{expected} match.", $"USER '{user.Spec}' resolves to {user}");
    }
}
