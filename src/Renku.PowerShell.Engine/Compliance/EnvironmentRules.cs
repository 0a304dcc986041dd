using System.Globalization;

namespace Renku.PowerShell.Compliance;

/// <summary>Rules on the environment's settings, judged against the image they will run.</summary>
internal static class EnvironmentRules
{
    internal static IEnumerable<ComplianceRule> All()
    {
        yield return new ComplianceRule(
            "RKC005", "EnvironmentUserMatchesImageUser", "Environment", ComplianceSeverity.Error,
            "The environment's uid and gid are those of the image user.",
            "Set the environment's uid and gid to the image user's (1000 and 1000 for Renku images).",
            UserMatches);
        yield return new ComplianceRule(
            "RKC006", "DirectoriesAreAbsolute", "Environment", ComplianceSeverity.Error,
            "The working and mount directories are absolute paths.",
            "Write the working and mount directories as absolute paths such as /home/renku/work.",
            Absolute);
        yield return new ComplianceRule(
            "RKC007", "WorkingDirectoryInsideMountDirectory", "Environment", ComplianceSeverity.Warning,
            "The working directory lies inside the mount directory, so Renku uses both as configured.",
            "Set both directories explicitly, the working directory inside the mount directory (Renku's images use /home/renku/work for both).",
            Layout);
        yield return new ComplianceRule(
            "RKC008", "HomeIsSet", "Environment", ComplianceSeverity.Warning,
            "The session user has a HOME other than /.",
            "Set 'ENV HOME=/home/renku' in the image or give the session uid a passwd entry with a home directory.",
            Home);
        yield return new ComplianceRule(
            "RKC009", "PortIsAllowed", "Environment", ComplianceSeverity.Error,
            "The environment port is in 1..65399 (65400 and up are reserved for Renku's sidecars).",
            "Pick a port from 1 to 65399 that the server in the image listens on (8888 for Renku's images).",
            Port);
        yield return new ComplianceRule(
            "RKC010", "DefaultUrlIsAPath", "Environment", ComplianceSeverity.Error,
            "The default URL is a path starting with / of at most 200 characters.",
            "Set the default URL to the path the server answers on, such as / or /lab.",
            DefaultUrl);
        yield return new ComplianceRule(
            "RKC011", "CommandArgsDoNotHideImageStart", "Environment", ComplianceSeverity.Warning,
            "The environment's command and args do not silently replace the image's ENTRYPOINT and CMD.",
            "Leave command and args empty to start the image as built, or make sure they start a server Renku can reach.",
            CommandArgs);
    }

    private static RuleVerdict UserMatches(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        SessionSettings settings = context.Settings;
        ImageUser? user = image.User;
        string evidence = $"environment uid:gid {settings.Uid}:{settings.Gid}; image USER '{user?.Spec ?? image.Config.User}'" + (user is null ? string.Empty : $" = {user}");
        if (user?.Uid is null)
        {
            return RuleVerdict.Fail($"The image user does not resolve to a uid, so it cannot be compared with the environment's {settings.Uid}:{settings.Gid}; give the image a user with a passwd entry.", evidence);
        }

        if (user.Uid == settings.Uid && (user.Gid is null || user.Gid == settings.Gid))
        {
            return RuleVerdict.Pass($"The environment runs the session as {settings.Uid}:{settings.Gid}, the image user's ids.", evidence);
        }

        return RuleVerdict.Fail(
            $"Renku runs the session as {settings.Uid}:{settings.Gid} (the environment's uid/gid), but the image user is {user}; files the image prepared for its user (home, caches, the server's config) may not be readable or writable. Set the environment's uid/gid to {user.Uid}:{user.Gid?.ToString(CultureInfo.InvariantCulture) ?? "?"}.",
            evidence);
    }

    private static RuleVerdict Absolute(ComplianceContext context)
    {
        SessionSettings settings = context.Settings;
        var problems = new List<string>();
        if (settings.WorkingDirectory is { Length: > 0 } working && !working.StartsWith('/'))
        {
            problems.Add($"the working directory '{working}'");
        }

        if (settings.MountDirectory is { Length: > 0 } mount && !mount.StartsWith('/'))
        {
            problems.Add($"the mount directory '{mount}'");
        }

        string evidence = $"working_directory={settings.WorkingDirectory ?? "(unset)"} mount_directory={settings.MountDirectory ?? "(unset)"}";
        return problems.Count == 0
            ? RuleVerdict.Pass("The working and mount directories are absolute (or left to Renku).", evidence)
            : RuleVerdict.Fail($"{string.Join(" and ", problems)} {(problems.Count == 1 ? "is" : "are")} not absolute; Renku rejects relative paths. Start them with '/'.", evidence);
    }

    private static RuleVerdict Layout(ComplianceContext context)
    {
        SessionSettings settings = context.Settings;
        if (settings.WorkingDirectory is { Length: > 0 } w && !w.StartsWith('/') || settings.MountDirectory is { Length: > 0 } m && !m.StartsWith('/'))
        {
            return RuleVerdict.Skip("The directories are not absolute (see RKC006), so Renku's layout cannot be worked out.");
        }

        if (string.IsNullOrEmpty(settings.WorkingDirectory) && context.Image is null)
        {
            return RuleVerdict.Skip("The environment leaves the working directory to the image's WORKDIR, and no image was inspected.");
        }

        SessionLayout layout = context.Layout;
        string evidence = $"Renku will use working directory {layout.WorkingDirectory}, mount directory {layout.MountDirectory}";
        if (context.Image is { } image && Buildpacks.RenkuBuildpacks.IsBuilt(image.Config))
        {
            // A buildpacks image bakes RENKU_WORKING_DIR and RENKU_MOUNT_DIR (both /workspace); Renku replaces them at start.
            evidence += $"; built by buildpacks (WORKDIR {image.Config.WorkingDir ?? "(none)"}, baked RENKU_WORKING_DIR={image.Config.GetEnv("RENKU_WORKING_DIR") ?? "(none)"} and RENKU_MOUNT_DIR={image.Config.GetEnv("RENKU_MOUNT_DIR") ?? "(none)"}, which Renku replaces with these at start)";
        }
        if (layout.Adjustments.Count == 0)
        {
            return RuleVerdict.Pass($"Renku will start the session in {layout.WorkingDirectory}, inside the mount directory {layout.MountDirectory}.", evidence);
        }

        return RuleVerdict.Fail(string.Join(" ", layout.Adjustments) + " Only the mount directory survives a pause or resume.", evidence);
    }

    private static RuleVerdict Home(ComplianceContext context)
    {
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return context.NoImage;
        }

        SessionSettings settings = context.Settings;
        string? fromEnv = image.Config.GetEnv("HOME");
        string? fromPasswd = image.User is { Uid: int uid } user && uid == settings.Uid ? user.Home : null;
        string home = !string.IsNullOrEmpty(fromEnv) ? fromEnv : !string.IsNullOrEmpty(fromPasswd) ? fromPasswd : "/";
        string source = !string.IsNullOrEmpty(fromEnv) ? "ENV HOME in the image" : !string.IsNullOrEmpty(fromPasswd) ? "/etc/passwd" : "the container runtime's default for a uid without a passwd entry";
        string evidence = $"HOME={home} (from {source})";
        if (home == "/")
        {
            return RuleVerdict.Fail($"The session user (uid {settings.Uid}) gets HOME=/ , which it cannot write; set 'ENV HOME=/home/renku' or give uid {settings.Uid} a passwd entry with a home directory.", evidence);
        }

        string where = SessionLayout.IsInside(home, context.Layout.MountDirectory)
            ? "inside the mount directory, so it persists"
            : $"outside the mount directory {context.Layout.MountDirectory}, so files written there are lost on pause/resume";
        return RuleVerdict.Pass($"HOME is {home} ({where}); the session check (-Runtime) verifies it is writable.", evidence);
    }

    private static RuleVerdict Port(ComplianceContext context)
    {
        int port = context.Settings.Port;
        string evidence = $"port={port}";
        if (port is >= 1 and < SessionSettings.FirstReservedPort)
        {
            return RuleVerdict.Pass($"Port {port} is allowed.", evidence);
        }

        return port >= SessionSettings.FirstReservedPort && port <= 65535
            ? RuleVerdict.Fail($"Port {port} is reserved: Renku uses 65400 and up for its sidecars. Make the server listen on a port from 1 to 65399 and set that port.", evidence)
            : RuleVerdict.Fail($"Port {port} is not a TCP port Renku accepts; use 1 to 65399.", evidence);
    }

    private static RuleVerdict DefaultUrl(ComplianceContext context)
    {
        string url = context.Settings.DefaultUrl;
        string evidence = $"default_url={url}";
        if (!url.StartsWith('/'))
        {
            return RuleVerdict.Fail($"The default URL '{url}' does not start with '/'; Renku appends it to the session's base path. Write it as a path such as '/' or '/lab'.", evidence);
        }

        return url.Length > 200
            ? RuleVerdict.Fail($"The default URL is {url.Length} characters long; Renku accepts at most 200.", evidence)
            : RuleVerdict.Pass($"The default URL '{url}' is a path.", evidence);
    }

    private static RuleVerdict CommandArgs(ComplianceContext context)
    {
        SessionSettings settings = context.Settings;
        if (context.Request.Kind == SessionKind.Job)
        {
            // A job runs the environment's command by design (RKS006 asks for one).
            return RuleVerdict.Pass($"Checked as a job: the environment's command and args are what the job runs (command={Show(settings.Command)} args={Show(settings.Args)}).", $"command={Show(settings.Command)} args={Show(settings.Args)}");
        }

        if (settings.Command is null && settings.Args is null)
        {
            return RuleVerdict.Pass("The environment sets no command or args, so the image starts as built.", "command=(unset) args=(unset)");
        }

        string envText = $"command={Show(settings.Command)} args={Show(settings.Args)}";
        ImageInfo? image = context.Image;
        if (image is null)
        {
            return RuleVerdict.Fail($"The environment sets {envText}, which replace the image's ENTRYPOINT/CMD whatever they are; make sure they start a server on port {settings.Port}.", envText);
        }

        var replaced = new List<string>();
        bool built = Buildpacks.RenkuBuildpacks.IsBuilt(image.Config);
        if (settings.Command is not null && image.Config.Entrypoint is { Count: > 0 } entrypoint)
        {
            replaced.Add($"the command {Show(settings.Command)} replaces the image ENTRYPOINT {Show(entrypoint)}" + (built ? " (the buildpacks' CNB launcher, which starts the frontend they installed)" : string.Empty));
        }

        if (settings.Args is not null && image.Config.Cmd is { Count: > 0 } cmd)
        {
            replaced.Add($"the args {Show(settings.Args)} replace the image CMD {Show(cmd)}");
        }
        else if (settings.Command is not null && settings.Args is null && image.Config.Cmd is { Count: > 0 } droppedCmd)
        {
            replaced.Add($"setting a command without args drops the image CMD {Show(droppedCmd)}");
        }

        string evidence = envText + $"; image ENTRYPOINT={Show(image.Config.Entrypoint)} CMD={Show(image.Config.Cmd)}";
        return replaced.Count == 0
            ? RuleVerdict.Pass($"The environment's {envText} fill in what the image leaves empty.", evidence)
            : RuleVerdict.Fail("In this environment " + string.Join("; ", replaced) + $". Check that this is intended and that the result serves on port {settings.Port}.", evidence);
    }

    internal static string Show(IReadOnlyList<string>? values) =>
        values is null ? "(unset)" : "[" + string.Join(", ", values.Select(v => "\"" + v + "\"")) + "]";
}
