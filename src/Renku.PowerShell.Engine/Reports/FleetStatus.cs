using System.Globalization;

namespace Renku.PowerShell.Reports;

/// <summary>
/// The one place that decides how much each finding of the environment report matters: the
/// row's status, its findings in words, and the colour of each cell of the HTML page.
/// </summary>
public static class FleetStatus
{
    /// <summary>A session whose container restarted this often is "restarting".</summary>
    public const int RestartsOfConcern = 3;

    public static ReportStatus Compliance(EnvironmentReport row) => row.ComplianceVerdict switch
    {
        ComplianceVerdict.Passed => ReportStatus.Ok,
        ComplianceVerdict.PassedWithWarnings => ReportStatus.Warning,
        ComplianceVerdict.Failed => ReportStatus.Failure,
        _ => ReportStatus.Unknown,
    };

    public static ReportStatus Upgrade(EnvironmentReport row) => row.UpgradeStatus switch
    {
        UpgradeStatus.UpToDate => ReportStatus.Ok,
        UpgradeStatus.PatchAvailable or UpgradeStatus.UnknownScheme or UpgradeStatus.NewerStream => ReportStatus.Info,
        UpgradeStatus.MinorAvailable or UpgradeStatus.MajorAvailable or UpgradeStatus.Unpinned => ReportStatus.Warning,
        UpgradeStatus.TagMissing => ReportStatus.Failure,
        _ => ReportStatus.Unknown,
    };

    /// <summary>Null without a digest record.</summary>
    public static ReportStatus? Digest(EnvironmentReport row) => row.DigestChanged switch
    {
        true => ReportStatus.Failure,
        false => ReportStatus.Ok,
        null => null,
    };

    /// <summary>Null when the fit is not known.</summary>
    public static ReportStatus? Platform(EnvironmentReport row) => row.PlatformFit switch
    {
        "Mismatch" => ReportStatus.Failure,
        "Fits" => ReportStatus.Ok,
        _ => null,
    };

    public static ReportStatus Usage(EnvironmentReport row) =>
        row.ArchivedButUsed ? ReportStatus.Warning
        : row.Unused && !row.IsArchived ? ReportStatus.Info
        : ReportStatus.Ok;

    /// <summary>Null without a cluster.</summary>
    public static ReportStatus? Sessions(EnvironmentReport row)
    {
        if (row.Sessions is null)
        {
            return null;
        }

        if (row.Sessions.Any(s => string.Equals(s.State, "Failed", StringComparison.OrdinalIgnoreCase)))
        {
            return ReportStatus.Failure;
        }

        return row.Sessions.Any(s => (s.RestartCount ?? 0) >= RestartsOfConcern || string.Equals(s.State, "RunningDegraded", StringComparison.OrdinalIgnoreCase))
            ? ReportStatus.Warning
            : ReportStatus.Ok;
    }

    /// <summary>The worst status of the row's findings.</summary>
    public static ReportStatus Of(EnvironmentReport row)
    {
        ReportStatus worst = Max(Compliance(row), Upgrade(row));
        worst = Max(worst, Usage(row));
        worst = Max(worst, Digest(row) ?? ReportStatus.Ok);
        worst = Max(worst, Platform(row) ?? ReportStatus.Ok);
        return Max(worst, Sessions(row) ?? ReportStatus.Ok);
    }

    /// <summary>What asks for attention, in words, worst first.</summary>
    public static IReadOnlyList<string> Findings(EnvironmentReport row)
    {
        var found = new List<(ReportStatus Status, string Text)>();
        switch (row.ComplianceVerdict)
        {
            case ComplianceVerdict.Failed:
                found.Add((ReportStatus.Failure, "fails " + string.Join(", ", row.FailingRules)));
                break;
            case ComplianceVerdict.PassedWithWarnings:
                found.Add((ReportStatus.Warning, "warns " + string.Join(", ", row.FailingRules)));
                break;
            case ComplianceVerdict.NotChecked:
                found.Add((ReportStatus.Unknown, "not checked"));
                break;
        }

        if (Upgrade(row) != ReportStatus.Ok)
        {
            string upgrade = row.UpgradeStatus switch
            {
                UpgradeStatus.Unpinned => "not pinned to a release",
                UpgradeStatus.TagMissing => $"tag {row.CurrentTag} is gone from the registry",
                UpgradeStatus.UnknownScheme => $"tag {row.CurrentTag} is not a version",
                UpgradeStatus.RegistryError => "tags could not be listed",
                UpgradeStatus.NewerStream => "up to date in its stream; newer streams: " + string.Join(", ", row.Upgrade?.NewerStreams ?? Array.Empty<string>()),
                _ => $"{row.Candidate} available",
            };
            found.Add((Upgrade(row), upgrade));
        }

        foreach (LaunchPlatform mismatch in row.PlatformMismatches)
        {
            found.Add((ReportStatus.Failure, $"launcher {mismatch.LauncherName} runs on {mismatch.Platform} (pool {mismatch.PoolName}), the image offers {string.Join(", ", row.ImagePlatforms)}"));
        }

        if (row.DigestChanged == true)
        {
            found.Add((ReportStatus.Failure, $"tag {row.CurrentTag} was pushed again"));
        }

        if (row.ArchivedButUsed)
        {
            found.Add((ReportStatus.Warning, "archived but used by " + Usage(row.LauncherCount, row.Sessions?.Count ?? 0)));
        }
        else if (row.Unused && !row.IsArchived)
        {
            found.Add((ReportStatus.Info, "unused"));
        }

        if (row.Sessions is { } sessions)
        {
            int failed = sessions.Count(s => string.Equals(s.State, "Failed", StringComparison.OrdinalIgnoreCase));
            if (failed > 0)
            {
                found.Add((ReportStatus.Failure, Count(failed, "session") + " failed"));
            }

            int restarting = sessions.Count(s => (s.RestartCount ?? 0) >= RestartsOfConcern);
            if (restarting > 0)
            {
                found.Add((ReportStatus.Warning, $"{Count(restarting, "session")} restarting ({row.Restarts} restarts)"));
            }
        }

        return found.OrderByDescending(f => f.Status).Select(f => f.Text).ToList();
    }

    internal static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

    private static string Usage(int launchers, int sessions) =>
        sessions == 0 ? Count(launchers, "launcher")
        : launchers == 0 ? Count(sessions, "session")
        : Count(launchers, "launcher") + " and " + Count(sessions, "session");

    private static ReportStatus Max(ReportStatus a, ReportStatus b) => a >= b ? a : b;
}
