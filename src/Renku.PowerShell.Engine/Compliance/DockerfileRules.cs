using Renku.PowerShell.Dockerfiles;
namespace Renku.PowerShell.Compliance;

/// <summary>Rules on the recipe: what Renku's docs ask of a Dockerfile built on Renku images and in general.</summary>
internal static class DockerfileRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKD001", "RenkuBaseKeepsEntrypointAndCmd", "Dockerfile", ComplianceSeverity.Warning,
            "A Dockerfile built FROM a Renku image leaves ENTRYPOINT and CMD alone.",
            "Remove the ENTRYPOINT/CMD lines: Renku's images start their frontend through /cnb/process; or set a compatible command in the environment.",
            KeepsEntrypoint);
        yield return new ComplianceRule(
            "RKD002", "RenkuBaseEndsAsRenkuUser", "Dockerfile", ComplianceSeverity.Error,
            "A Dockerfile built FROM a Renku image switches back to USER renku.",
            "After the steps that need root, add 'USER renku' as the last USER instruction.",
            EndsAsRenku);
        yield return new ComplianceRule(
            "RKD003", "BaseImagesArePinned", "Dockerfile", ComplianceSeverity.Warning,
            "Every FROM names a pinned base (a version tag or digest, not latest or no tag).",
            "Write FROM lines with a release tag or a digest so rebuilds are reproducible.",
            BasesPinned);
        yield return new ComplianceRule(
            "RKD004", "FinalUserIsNotRoot", "Dockerfile", ComplianceSeverity.Error,
            "The final stage does not leave the image running as root.",
            "End the final stage with 'USER renku' (or another uid 1000 user).",
            FinalNotRoot);
    }

    private static RuleVerdict NoDockerfile => RuleVerdict.Skip("No Dockerfile was given (-Dockerfile).");

    // A base that does not resolve cannot be judged as Renku's or not: say why instead of naming an empty image.
    private static RuleVerdict UnresolvedBase(DockerfileStage final) =>
        RuleVerdict.Skip($"The final stage's base cannot be read: {final.DescribedRoot}.");

    private static IEnumerable<DockerfileStage> Chain(DockerfileStage stage)
    {
        for (DockerfileStage? current = stage; current is not null; current = current.BaseStage)
        {
            yield return current;
        }
    }

    private static RuleVerdict KeepsEntrypoint(ComplianceContext context)
    {
        if (context.Dockerfile?.FinalStage is not { } final)
        {
            return context.Dockerfile is null ? NoDockerfile : RuleVerdict.Skip("The Dockerfile has no FROM.");
        }

        if (final.RootUnresolved)
        {
            return UnresolvedBase(final);
        }

        string root = final.RootImage;
        if (!RenkuImages.IsRenkuImage(root))
        {
            return RuleVerdict.Pass($"The final stage is not built on a Renku image ({root}).", $"FROM {root}");
        }

        DockerfileInstruction[] changes = Chain(final).SelectMany(s => s.Instructions).Where(i => i.Keyword is "ENTRYPOINT" or "CMD").OrderBy(i => i.StartLine).ToArray();
        if (changes.Length == 0)
        {
            return RuleVerdict.Pass($"The Dockerfile keeps the ENTRYPOINT and CMD of {root}.", $"FROM {root}");
        }

        DockerfileInstruction first = changes[0];
        string lines = string.Join(", ", changes.Select(c => $"{c.Keyword} on line {c.StartLine}"));
        return RuleVerdict.Fail(
            $"The image is built FROM Renku's {root} but changes how it starts ({lines}); Renku's images start their frontend themselves. Remove these lines, or set a command in the environment that starts a Renku-compatible frontend.",
            string.Join("; ", changes.Select(c => c.SourceText)),
            file: context.Dockerfile!.Path,
            line: first.StartLine);
    }

    private static RuleVerdict EndsAsRenku(ComplianceContext context)
    {
        if (context.Dockerfile?.FinalStage is not { } final)
        {
            return context.Dockerfile is null ? NoDockerfile : RuleVerdict.Skip("The Dockerfile has no FROM.");
        }

        if (final.RootUnresolved)
        {
            return UnresolvedBase(final);
        }

        string root = final.RootImage;
        if (!RenkuImages.IsRenkuImage(root))
        {
            return RuleVerdict.Pass($"The final stage is not built on a Renku image ({root}).", $"FROM {root}");
        }

        DockerfileInstruction? user = LastUser(final);
        if (user is null)
        {
            return RuleVerdict.Pass($"The Dockerfile never changes USER, so the image keeps {root}'s user renku.", $"FROM {root}");
        }

        string value = user.Arguments.Trim();
        if (IsRenkuUser(value, context.Policy))
        {
            return RuleVerdict.Pass($"The last USER (line {user.StartLine}) is '{value}'.", user.SourceText);
        }

        return RuleVerdict.Fail(
            $"The image is built FROM Renku's {root} but its last USER (line {user.StartLine}) is '{value}'; Renku's docs ask to switch back with 'USER {context.Policy.UserName}' after the steps that need root.",
            user.SourceText,
            file: context.Dockerfile!.Path,
            line: user.StartLine);
    }

    private static RuleVerdict BasesPinned(ComplianceContext context)
    {
        if (context.Dockerfile is not { } dockerfile)
        {
            return NoDockerfile;
        }

        if (dockerfile.Stages.Count == 0)
        {
            return RuleVerdict.Skip("The Dockerfile has no FROM.");
        }

        var problems = new List<(DockerfileStage Stage, string Why)>();
        foreach (DockerfileStage stage in dockerfile.Stages.Where(s => s.BaseStage is null && !string.Equals(s.ResolvedBaseImage, "scratch", StringComparison.OrdinalIgnoreCase)))
        {
            if (stage.UnsetVariables.Count > 0)
            {
                problems.Add((stage, string.Join("; ", stage.UnsetVariables) + $" (FROM {stage.BaseImage}); declare the ARG with a default or give its value"));
                continue;
            }

            if (!ImageReference.TryParse(stage.ResolvedBaseImage, out ImageReference? reference, out string? error))
            {
                problems.Add((stage, $"'{stage.BaseImage}' resolves to '{stage.ResolvedBaseImage}', which is not a valid reference ({error}); give its ARG a default"));
                continue;
            }

            if (reference!.Digest is not null)
            {
                continue;
            }

            if (reference.TagKind is TagKind.Missing or TagKind.Latest)
            {
                problems.Add((stage, $"'{stage.ResolvedBaseImage}' is {(reference.TagKind == TagKind.Missing ? "not tagged" : "tagged latest")}"));
            }
            else if (RenkuImages.IsRenkuImage(reference) && reference.TagKind is not (TagKind.Semver or TagKind.SemverWithSuffix))
            {
                problems.Add((stage, $"'{stage.ResolvedBaseImage}' is a Renku image with a {reference.TagKind} tag instead of a semver release tag"));
            }
        }

        string evidence = string.Join("; ", dockerfile.Stages.Select(s => $"line {s.From.StartLine}: FROM {(s.UnsetVariables.Count == 0 && s.ResolvedBaseImage.Length > 0 ? s.ResolvedBaseImage : s.BaseImage)}"));
        if (problems.Count == 0)
        {
            return RuleVerdict.Pass("Every base image is pinned.", evidence);
        }

        return RuleVerdict.Fail(
            "Unpinned or unresolved base images: " + string.Join("; ", problems.Select(p => $"line {p.Stage.From.StartLine}: {p.Why}")) + ". Use a release tag or a digest.",
            evidence,
            file: dockerfile.Path,
            line: problems[0].Stage.From.StartLine);
    }

    private static RuleVerdict FinalNotRoot(ComplianceContext context)
    {
        if (context.Dockerfile?.FinalStage is not { } final)
        {
            return context.Dockerfile is null ? NoDockerfile : RuleVerdict.Skip("The Dockerfile has no FROM.");
        }

        DockerfileInstruction? user = LastUser(final);
        if (user is null)
        {
            return RuleVerdict.Skip($"The final stage sets no USER, so the image keeps the user of {final.DescribedRoot}; check the built image.");
        }

        string value = user.Arguments.Trim();
        string name = value.Split(':')[0];
        if (name is "root" or "0")
        {
            return RuleVerdict.Fail($"The last USER (line {user.StartLine}) is '{value}', so the image runs as root. Add 'USER {context.Policy.UserName}' at the end.", user.SourceText, file: context.Dockerfile!.Path, line: user.StartLine);
        }

        return RuleVerdict.Pass($"The last USER (line {user.StartLine}) is '{value}'.", user.SourceText);
    }

    private static DockerfileInstruction? LastUser(DockerfileStage final) =>
        Chain(final).Select(s => s.LastUser).FirstOrDefault(u => u is not null);

    private static bool IsRenkuUser(string value, CompliancePolicy policy)
    {
        string[] parts = value.Split(':');
        bool userOk = parts[0] == policy.UserName || parts[0] == policy.Uid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        bool groupOk = parts.Length == 1 || parts[1] == policy.UserName || parts[1] == policy.Gid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return userOk && groupOk;
    }
}
