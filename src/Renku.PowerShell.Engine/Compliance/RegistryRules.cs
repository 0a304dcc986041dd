using System.Globalization;

using Renku.PowerShell.Dockerfiles;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Compliance;

/// <summary>Rules on where the image lives and how it is referenced.</summary>
internal static class RegistryRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKC012", "TagIsPinned", "Registry", ComplianceSeverity.Error,
            "The image is pinned: a version tag or a digest, not latest or no tag (Renku's own images by a semver tag).",
            "Reference a release tag such as 2.10.3, or pin a digest (name@sha256:...).",
            TagPinned);
        yield return new ComplianceRule(
            "RKC013", "ImageIsPublic", "Registry", ComplianceSeverity.Error,
            "Anyone can pull the image without credentials (global environments require it); with a Renku connection, Renku's own pull check must agree.",
            "Make the repository public in its registry, or move the image to a public one.",
            Public);
        yield return new ComplianceRule(
            "RKC014", "RequiredPlatformsPresent", "Registry", ComplianceSeverity.Error,
            "The image offers the required platforms (linux/amd64 by default).",
            "Build and push the image for every required platform (docker buildx build --platform ...).",
            Platforms);
        yield return new ComplianceRule(
            "RKC015", "CompressedSizeWithinLimit", "Registry", ComplianceSeverity.Warning,
            "The image's compressed size stays below the policy's threshold.",
            "Trim the image (fewer layers, no caches, a smaller base) so sessions start faster.",
            Size);
        yield return new ComplianceRule(
            "RKC016", "NotALegacyRenkuBase", "Registry", ComplianceSeverity.Warning,
            "The image is not (and is not built from) a legacy Renku 1.x image (renku/renkulab-*).",
            "Move to Renku 2 images (ghcr.io/swissdatasciencecenter/renku/...) or Renku's run image with a frontend buildpack.",
            Legacy);
        yield return new ComplianceRule(
            "RKC017", "RegistryIsAllowed", "Registry", ComplianceSeverity.Error,
            "The image comes from a registry the policy allows.",
            "Push the image to one of the allowed registries.",
            Registry);
    }

    private static RuleVerdict TagPinned(ComplianceContext context)
    {
        ImageReference? reference = context.Reference;
        if (reference is null)
        {
            return RuleVerdict.Skip("The image has no reference (an archive without a tag), so there is no tag to judge.");
        }

        string evidence = $"reference {reference.FullName}, tag kind {reference.TagKind}";
        if (reference.Digest is not null)
        {
            return RuleVerdict.Pass($"{reference.FamiliarName} is pinned by digest.", evidence);
        }

        switch (reference.TagKind)
        {
            case TagKind.Missing:
                return RuleVerdict.Fail($"'{reference.Original}' has no tag, so every pull takes whatever 'latest' is at that moment. Reference a release tag or a digest.", evidence);
            case TagKind.Latest:
                return RuleVerdict.Fail($"'{reference.Original}' uses the floating tag 'latest'. Reference a release tag or a digest.", evidence);
        }

        if (RenkuImages.IsRenkuImage(reference) && reference.TagKind is not (TagKind.Semver or TagKind.SemverWithSuffix))
        {
            return RuleVerdict.Fail($"'{reference.FamiliarName}' is one of Renku's images tagged '{reference.Tag}' ({reference.TagKind}); Renku recommends its semver release tags (such as 2.10.3) rather than commit tags.", evidence);
        }

        return RuleVerdict.Pass($"'{reference.FamiliarName}' is pinned to the tag '{reference.Tag}' ({reference.TagKind}).", evidence);
    }

    /// <summary>
    /// Two answers when connected to Renku: the module's credential-less request (what pulling a
    /// global environment's image needs: every user starts it) and Renku's own pull check
    /// (<c>GET /sessions/images</c>, what the deployment itself can pull; with registry
    /// connections it pulls with the user's connection for that registry). Renku's "not accessible"
    /// fails whatever the module saw; a pull that only works through a connection fails a global
    /// environment; Renku's anonymous "accessible" settles what the module could not check.
    /// </summary>
    private static RuleVerdict Public(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        string name = context.Reference?.FamiliarName ?? image?.ToString() ?? "the image";
        PublicAccess access = image?.PublicAccess ?? context.Request.PublicAccess ?? PublicAccess.Unknown;
        PlatformImageCheck? platform = context.Request.PlatformCheck;
        string renku = platform?.ToString()
            ?? (context.Request.PlatformCheckProblem is { } problem ? $"Renku's check: no answer ({problem})"
                : context.Request.PlatformCheckSkipped ? "Renku's check: not asked (skipped on request)" : "Renku's check: not asked (no Renku connection)");
        string evidence = $"anonymous pull: {access}; {renku}";
        string byConnection = platform is { UsesConnection: true }
            ? $" A deployment with registry connections pulls it with the connection {platform.ConnectionId} ({platform.ProviderName ?? "its provider"}) of users who have one; everyone else, and every user of a global environment, needs the anonymous pull."
            : string.Empty;

        if (platform is { Accessible: false })
        {
            string here = access == PublicAccess.Public ? $", although an anonymous request from here could pull it (the deployment reaches the registry differently: its network, a mirror or a proxy)" : string.Empty;
            return RuleVerdict.Fail($"Renku itself cannot pull {name}: its own check (GET /sessions/images) answers not accessible{(platform.UsesConnection ? $" even with the registry connection {platform.ConnectionId}" : string.Empty)}{here}. Sessions would fail with ImagePullBackOff. Make the repository public, or check the deployment's access to the registry.", evidence);
        }

        if (platform is { Accessible: true, UsesConnection: true } && access != PublicAccess.Public)
        {
            return access is PublicAccess.RateLimited or PublicAccess.Unreachable or PublicAccess.Unknown
                ? RuleVerdict.Skip($"Renku can pull {name} through a registry connection, but whether anyone can pull it was not settled (anonymous request: {access}).{byConnection}", evidence)
                : RuleVerdict.Fail($"{name} needs credentials to pull: Renku's own check reaches it only through a registry connection.{byConnection} Make the repository public.", evidence);
        }

        if (platform is { Accessible: true, UsesConnection: false } && access != PublicAccess.Public)
        {
            return RuleVerdict.Pass($"Renku's own check pulls {name} without any registry connection, so every user's session can pull it (the anonymous request from here answered {access}).", evidence);
        }

        string agrees = platform is { Accessible: true } ? " Renku's own check agrees" + (platform.UsesConnection ? " (it asked through a registry connection, which anonymous pulls do not need)" : " (it pulls anonymously)") + "." : string.Empty;
        return access switch
        {
            PublicAccess.Public => RuleVerdict.Pass($"{name} can be pulled without credentials.{agrees}", evidence),
            PublicAccess.Private => RuleVerdict.Fail($"{name} needs credentials to pull (or does not exist: some registries answer both with 401); Renku pulls global environment images anonymously, so sessions would fail with ImagePullBackOff. Make the repository public.", evidence),
            PublicAccess.NotFound => RuleVerdict.Fail($"{name} was not found by an anonymous request (a missing tag, or a private repository the registry hides). Push the tag, or make the repository public.", evidence),
            PublicAccess.RateLimited => RuleVerdict.Skip($"The registry refused the anonymous request with 429 (rate limited), so it is unknown whether {name} is public; try again later.", evidence),
            PublicAccess.Unreachable => RuleVerdict.Skip($"The registry of {name} could not be reached, so it is unknown whether the image is public.", evidence),
            _ => RuleVerdict.Skip("Public access was not checked (the image was read from an archive or a Docker engine); check it with -Image against the registry.", evidence),
        };
    }

    private static RuleVerdict Platforms(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        IReadOnlyList<ImagePlatform> offered = image.Platforms.Count > 0 ? image.Platforms : image.Platform is null ? Array.Empty<ImagePlatform>() : new[] { image.Platform };
        if (offered.Count == 0)
        {
            return RuleVerdict.Skip("The image's platforms are not known.");
        }

        string evidence = "offers " + string.Join(", ", offered);
        ImagePlatform[] missing = context.Policy.RequiredPlatforms.Where(r => !offered.Any(o => r.Matches(o))).ToArray();
        return missing.Length == 0
            ? RuleVerdict.Pass($"The image offers {string.Join(", ", context.Policy.RequiredPlatforms)}.", evidence)
            : RuleVerdict.Fail($"The image lacks {string.Join(", ", missing.Select(m => m.ToString()))} (it offers {string.Join(", ", offered)}); Renku's nodes cannot run it there. Build and push it for {string.Join(", ", missing.Select(m => m.ToString()))}.", evidence);
    }

    private static RuleVerdict Size(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        if (image.CompressedSize <= 0)
        {
            return RuleVerdict.Skip("The compressed size is not known for this source (a Docker engine stores images uncompressed).");
        }

        long limit = context.Policy.MaxCompressedSize;
        string evidence = $"compressed size {Mb(image.CompressedSize)} in {image.LayerCount} layers; limit {Mb(limit)}";
        return image.CompressedSize <= limit
            ? RuleVerdict.Pass($"The image is {Mb(image.CompressedSize)} compressed.", evidence)
            : RuleVerdict.Fail($"The image is {Mb(image.CompressedSize)} compressed, above the {Mb(limit)} limit; sessions will take long to start on fresh nodes. Make it smaller.", evidence);
    }

    private static RuleVerdict Legacy(ComplianceContext context)
    {
        var legacy = new List<string>();
        if (context.Reference is { } reference && RenkuImages.IsLegacyBase(reference))
        {
            legacy.Add($"the image {reference.FamiliarName} itself");
        }

        DockerfileInstruction? line = null;
        if (context.Dockerfile is { } dockerfile)
        {
            foreach (DockerfileStage stage in dockerfile.Stages.Where(s => s.BaseStage is null && RenkuImages.IsLegacyBase(s.ResolvedBaseImage)))
            {
                legacy.Add($"the base {stage.ResolvedBaseImage} (line {stage.From.StartLine})");
                line ??= stage.From;
            }
        }

        if (context.Reference is null && context.Dockerfile is null)
        {
            return RuleVerdict.Skip("Neither a reference nor a Dockerfile was given.");
        }

        return legacy.Count == 0
            ? RuleVerdict.Pass("Nothing refers to a Renku 1.x image.", string.Empty)
            : RuleVerdict.Fail($"Renku 1.x images are legacy: {string.Join(", ", legacy)}. Move to a Renku 2 image or the run image with a frontend buildpack.", string.Join("; ", legacy), file: line is null ? null : context.Dockerfile!.Path, line: line?.StartLine);
    }

    private static RuleVerdict Registry(ComplianceContext context)
    {
        ImageReference? reference = context.Reference;
        if (reference is null)
        {
            return RuleVerdict.Skip("The image has no reference, so no registry to judge.");
        }

        IReadOnlyList<string> allowed = context.Policy.AllowedRegistries;
        string evidence = $"registry {reference.Registry}";
        if (allowed.Count == 0)
        {
            return RuleVerdict.Pass("The policy allows any registry.", evidence);
        }

        return allowed.Contains(reference.Registry, StringComparer.OrdinalIgnoreCase)
            ? RuleVerdict.Pass($"{reference.Registry} is an allowed registry.", evidence)
            : RuleVerdict.Fail($"{reference.Registry} is not among the allowed registries ({string.Join(", ", allowed)}). Push the image to one of them.", evidence);
    }

    private static string Mb(long bytes) => (bytes / 1024.0 / 1024.0).ToString("0.#", CultureInfo.InvariantCulture) + " MiB";
}
