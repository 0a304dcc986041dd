using Renku.PowerShell.Reports;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Reports;

/// <summary>How much each finding of the environment report matters, and the row's worst.</summary>
public class FleetStatusTests
{
    private static EnvironmentReport Row(
        ComplianceVerdict verdict = ComplianceVerdict.Passed,
        UpgradeStatus upgrade = UpgradeStatus.UpToDate,
        bool archived = false,
        int launchers = 1,
        bool? digestChanged = null,
        params RenkuSession[] sessions) => new()
        {
            Environment = new GlobalEnvironment { Id = "01J00000000000000000000000", Name = "Lab", Image = "team/lab:1.0.0", IsArchived = archived },
            ComplianceVerdict = verdict,
            FailingRules = verdict == ComplianceVerdict.Failed ? new[] { "RKC001" } : Array.Empty<string>(),
            UpgradeStatus = upgrade,
            CurrentTag = "1.0.0",
            Candidate = upgrade is UpgradeStatus.MinorAvailable ? "1.1.0" : null,
            DigestChanged = digestChanged,
            Launchers = Enumerable.Range(0, launchers).Select(i => new SessionLauncher { Id = "L" + i, Name = "Launcher " + i }).ToList(),
            Sessions = sessions.Length == 0 ? null : sessions,
        };

    private static RenkuSession Session(string state = "Running", int restarts = 0) => new() { Name = "s", Namespace = "renku", State = state, RestartCount = restarts };

    [Fact]
    public void AHealthyEnvironmentIsOkWithNoFindings()
    {
        EnvironmentReport row = Row(sessions: Session());
        Assert.Equal(ReportStatus.Ok, row.Status);
        Assert.Empty(row.Findings);
        Assert.Equal(1, row.RunningSessions);
    }

    [Fact]
    public void TheWorstFindingDecidesAndFindingsComeWorstFirst()
    {
        EnvironmentReport row = Row(ComplianceVerdict.Failed, UpgradeStatus.MinorAvailable, digestChanged: true);
        Assert.Equal(ReportStatus.Failure, row.Status);
        Assert.Equal(new[] { "fails RKC001", "tag 1.0.0 was pushed again", "1.1.0 available" }, row.Findings);
        Assert.Equal(ReportStatus.Warning, Row(upgrade: UpgradeStatus.Unpinned).Status);
        Assert.Equal(ReportStatus.Failure, Row(upgrade: UpgradeStatus.TagMissing).Status);
        Assert.Equal(ReportStatus.Unknown, Row(ComplianceVerdict.NotChecked).Status);
        Assert.Equal(ReportStatus.Info, Row(upgrade: UpgradeStatus.PatchAvailable).Status);
    }

    [Fact]
    public void NewestInItsStreamWithNewerStreamsIsInformation()
    {
        var row = new EnvironmentReport
        {
            Environment = new GlobalEnvironment { Id = "01J00000000000000000000000", Name = "Lab", Image = "team/lab:2.11.0-python3.12" },
            ComplianceVerdict = ComplianceVerdict.Passed,
            UpgradeStatus = UpgradeStatus.NewerStream,
            CurrentTag = "2.11.0-python3.12",
            Upgrade = new ImageUpgrade { NewerStreams = new[] { "2.11.0-python3.13" } },
            Launchers = new[] { new SessionLauncher { Id = "L", Name = "Launcher" } },
        };
        Assert.Equal(ReportStatus.Info, row.Status);
        Assert.Equal(new[] { "up to date in its stream; newer streams: 2.11.0-python3.13" }, row.Findings);
    }

    [Fact]
    public void UsageArchivedButUsedAndUnused()
    {
        EnvironmentReport archivedUsed = Row(archived: true, launchers: 2);
        Assert.True(archivedUsed.ArchivedButUsed);
        Assert.Equal(ReportStatus.Warning, archivedUsed.Status);
        Assert.Contains("archived but used by 2 launchers", archivedUsed.Findings);

        EnvironmentReport unused = Row(launchers: 0);
        Assert.True(unused.Unused);
        Assert.Equal(ReportStatus.Info, unused.Status);

        // Archived and unused is how it should be.
        Assert.Equal(ReportStatus.Ok, Row(archived: true, launchers: 0).Status);

        // A session counts as use, even without a launcher.
        EnvironmentReport running = Row(archived: true, launchers: 0, sessions: Session());
        Assert.True(running.ArchivedButUsed);
        Assert.False(running.Unused);
    }

    [Fact]
    public void SessionsThatFailOrKeepRestartingStandOut()
    {
        Assert.Equal(ReportStatus.Ok, FleetStatus.Sessions(Row(sessions: Session(restarts: FleetStatus.RestartsOfConcern - 1))));
        EnvironmentReport restarting = Row(sessions: new[] { Session(restarts: FleetStatus.RestartsOfConcern), Session(restarts: 2) });
        Assert.Equal(ReportStatus.Warning, restarting.Status);
        Assert.Equal(FleetStatus.RestartsOfConcern + 2, restarting.Restarts);
        Assert.Contains("1 session restarting (5 restarts)", restarting.Findings);
        Assert.Equal(ReportStatus.Failure, Row(sessions: Session("Failed")).Status);
        Assert.Null(FleetStatus.Sessions(Row()));
        Assert.Null(Row().Restarts);
    }
}
