using Renku.PowerShell.Compliance;
using Renku.PowerShell.Environments;
using Renku.PowerShell.Images;
using Renku.PowerShell.Kubernetes;
using Renku.PowerShell.Platforms;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.Sessions;
using Renku.PowerShell.Upgrades;

namespace Renku.PowerShell.Reports;

/// <summary>
/// The fleet report: one row per global environment, joining the compliance check, the upgrade
/// audit, digest drift, the launchers that use it and its sessions in the cluster. Everything is
/// read once for the whole fleet, whatever the number of environments: one listing of launchers,
/// one of sessions (and their pods), one tag listing per repository (<see cref="UpgradeAuditor"/>),
/// and one inspection per distinct image (<see cref="ComplianceRunner"/> with one shared inspector),
/// all running at once.
/// </summary>
public sealed class EnvironmentReporter
{
    private readonly ImageInspector inspector;
    private readonly RenkuApiClient renku;
    private readonly EnvironmentReportOptions options;

    /// <param name="inspector">Reads registries for the audit and the checks; the caller keeps ownership.</param>
    /// <param name="renku">Lists the launchers and answers Renku's own pull check.</param>
    public EnvironmentReporter(ImageInspector inspector, RenkuApiClient renku, EnvironmentReportOptions options)
    {
        this.inspector = inspector ?? throw new ArgumentNullException(nameof(inspector));
        this.renku = renku ?? throw new ArgumentNullException(nameof(renku));
        this.options = options ?? throw new ArgumentNullException(nameof(options));
    }

    /// <summary>
    /// The rows for <paramref name="environments"/>, in their order. <paramref name="progress"/> is
    /// called from worker threads.
    /// </summary>
    /// <exception cref="RenkuApiException">The launchers could not be listed.</exception>
    /// <exception cref="KubernetesException">A cluster was given and its sessions could not be listed.</exception>
    public async Task<IReadOnlyList<EnvironmentReport>> ReportAsync(IReadOnlyList<GlobalEnvironment> environments, Action<EnvironmentReportProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environments);
        if (environments.Count == 0)
        {
            return Array.Empty<EnvironmentReport>();
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var tracker = new ProgressTracker(environments, progress);

        Task<IReadOnlyList<SessionLauncher>> launchers = renku.GetSessionLaunchersAsync(null, stop.Token);
        Task<IReadOnlyList<ResourcePool>?> pools = PoolsAsync(stop.Token);
        Task<IReadOnlyList<ImageUpgrade>> upgrades = AuditAsync(environments, tracker, stop.Token);
        Task<(ComplianceReport? Report, Exception? Failure)[]> checks = CheckAsync(environments, launchers, pools, tracker, stop.Token);
        Task<IReadOnlyList<RenkuSession>?> sessions = SessionsAsync(environments, launchers, stop.Token);

        try
        {
            await Task.WhenAll(launchers, upgrades, checks, sessions).ConfigureAwait(false);
        }
        catch
        {
            // One part failed (or the caller stopped): the others end before the failure surfaces.
            stop.Cancel();
            await Task.WhenAll(new Task[] { launchers, pools, upgrades, checks, sessions }.Select(t => t.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw FirstFailure(launchers, sessions, upgrades, checks);
        }

        return Join(environments, launchers.Result, pools.Result, upgrades.Result, checks.Result, sessions.Result, options.DigestRecord is not null);
    }

    private async Task<IReadOnlyList<ImageUpgrade>> AuditAsync(IReadOnlyList<GlobalEnvironment> environments, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        var catalog = new InspectorTagCatalog(inspector, ownsInspector: false);
        var auditor = new UpgradeAuditor(catalog, options.UpgradePolicy, options.ListingThrottle);
        List<UpgradeInput> inputs = environments.Select(e => UpgradeInputReader.FromEnvironment(e.Name, e.Id, e.Image, e)).ToList();
        return await auditor.AuditAsync(inputs, options.DigestRecord, tracker.Listed, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The resource pools, or null when the caller may not list them (the platform fit is then unknown, not a failure).</summary>
    private async Task<IReadOnlyList<ResourcePool>?> PoolsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await renku.GetResourcePoolsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (RenkuApiException)
        {
            return null;
        }
    }

    private static IReadOnlyList<LaunchPlatform>? LaunchesOf(GlobalEnvironment environment, IReadOnlyList<SessionLauncher> launchers, IReadOnlyList<ResourcePool>? pools) =>
        pools is null ? null : LaunchPlatforms.Resolve(EnvironmentUsage.LaunchersUsing(launchers, environment.Id), pools);

    private async Task<(ComplianceReport?, Exception?)[]> CheckAsync(IReadOnlyList<GlobalEnvironment> environments, Task<IReadOnlyList<SessionLauncher>> launchers, Task<IReadOnlyList<ResourcePool>?> pools, ProgressTracker tracker, CancellationToken cancellationToken)
    {
        // The platform fit needs where each environment's launchers run: the two listings come first.
        IReadOnlyList<SessionLauncher> known = await launchers.ConfigureAwait(false);
        IReadOnlyList<ResourcePool>? poolList = await pools.ConfigureAwait(false);
        var jobs = environments.Select(e => new ComplianceJob
        {
            Image = e.Image,
            Source = ComplianceImageSource.Registry,
            Settings = SessionSettings.Of(e),
            Policy = options.CompliancePolicy,
            Platform = renku,
            Launches = LaunchesOf(e, known, poolList),

            // Read from the launchers themselves: a job environment is judged as one even when the pools cannot be read.
            Kind = SessionKinds.Decide(null, EnvironmentUsage.LaunchersUsing(known, e.Id).Select(l => l.LauncherType)),
        }).ToList();
        var results = new (ComplianceReport?, Exception?)[jobs.Count];
        await new ComplianceRunner(inspector).CheckAllAsync(
            jobs,
            options.CheckThrottle,
            (index, report, failure) =>
            {
                results[index] = (report, failure);
                tracker.Checked(environments[index].Name);
            },
            null,
            cancellationToken).ConfigureAwait(false);
        return results;
    }

    private async Task<IReadOnlyList<RenkuSession>?> SessionsAsync(IReadOnlyList<GlobalEnvironment> environments, Task<IReadOnlyList<SessionLauncher>> launchers, CancellationToken cancellationToken)
    {
        if (options.Cluster is null)
        {
            return null;
        }

        // The launchers tell which environment a session was started from; without them only its image would.
        IReadOnlyList<SessionLauncher> known = await launchers.ConfigureAwait(false);
        var query = new RenkuSessionQuery
        {
            Environments = environments.Select(e => new SessionEnvironmentRef(e.Id, e.Image)).ToList(),
            Launchers = known.Select(l => new SessionLauncherRef(l.Id, l.EnvironmentId, l.ProjectId)).ToList(),
        };
        return await RenkuSessionReader.GetAsync(options.Cluster, query, cancellationToken).ConfigureAwait(false);
    }

    private static List<EnvironmentReport> Join(
        IReadOnlyList<GlobalEnvironment> environments,
        IReadOnlyList<SessionLauncher> launchers,
        IReadOnlyList<ResourcePool>? pools,
        IReadOnlyList<ImageUpgrade> upgrades,
        (ComplianceReport? Report, Exception? Failure)[] checks,
        IReadOnlyList<RenkuSession>? sessions,
        bool digestsRecorded)
    {
        var rows = new List<EnvironmentReport>(environments.Count);
        for (int i = 0; i < environments.Count; i++)
        {
            GlobalEnvironment environment = environments[i];
            ImageUpgrade upgrade = upgrades[i];
            (ComplianceReport? report, Exception? failure) = checks[i];
            IReadOnlyList<LaunchPlatform>? launches = LaunchesOf(environment, launchers, pools);
            IReadOnlyList<ImagePlatform> offered = (report?.Platforms ?? Array.Empty<string>()).Select(ImagePlatform.Parse).ToList();
            List<string> failing = report?.Failures.Where(r => r.Severity >= ComplianceSeverity.Warning).Select(r => r.RuleId).Distinct(StringComparer.Ordinal).ToList() ?? new List<string>();
            rows.Add(new EnvironmentReport
            {
                Environment = environment,
                Compliance = report,
                ComplianceVerdict = report is null ? ComplianceVerdict.NotChecked
                    : report.ErrorCount > 0 ? ComplianceVerdict.Failed
                    : report.WarningCount > 0 ? ComplianceVerdict.PassedWithWarnings
                    : ComplianceVerdict.Passed,
                FailingRules = failing,
                ComplianceError = failure?.Message,
                Upgrade = upgrade,
                UpgradeStatus = upgrade.Status,
                CurrentTag = upgrade.CurrentTag,
                Candidate = upgrade.Candidate,
                DigestChanged = digestsRecorded && upgrade.CurrentDigest is not null ? upgrade.DigestChanged : null,
                RecordedDigest = upgrade.RecordedDigest,
                CurrentDigest = upgrade.CurrentDigest,
                Launchers = EnvironmentUsage.LaunchersUsing(launchers, environment.Id),
                Launches = launches,
                ImagePlatforms = offered.Select(p => p.ToString()).ToList(),
                PlatformMismatches = launches is null ? Array.Empty<LaunchPlatform>() : LaunchPlatforms.Mismatches(launches, offered),
                Sessions = sessions?.Where(s => string.Equals(s.EnvironmentId, environment.Id, StringComparison.Ordinal)).ToList(),
            });
        }

        return rows;
    }

    /// <summary>The failure to report when a part of the report failed: the Renku or cluster listing before any registry trouble.</summary>
    private static Exception FirstFailure(params Task[] parts)
    {
        foreach (Task part in parts)
        {
            if (part.Exception?.GetBaseException() is { } failure && failure is not OperationCanceledException)
            {
                return failure;
            }
        }

        return new OperationCanceledException();
    }

    /// <summary>Counts listings and checks from worker threads and reports each step.</summary>
    private sealed class ProgressTracker
    {
        private readonly Action<EnvironmentReportProgress>? report;
        private readonly int environments;
        private int repositories;
        private int listed;
        private int checkedCount;

        internal ProgressTracker(IReadOnlyList<GlobalEnvironment> environments, Action<EnvironmentReportProgress>? report)
        {
            this.report = report;
            this.environments = environments.Count;
            repositories = environments
                .Select(e => ImageReference.TryParse(e.Image, out ImageReference? r, out _) ? r!.Name : null)
                .Where(n => n is not null)
                .Distinct(StringComparer.Ordinal)
                .Count();
        }

        internal void Listed(AuditProgress update)
        {
            Volatile.Write(ref repositories, update.RepositoryCount);
            // Listings end on several threads: their reports may arrive out of order.
            int seen;
            while ((seen = Volatile.Read(ref listed)) < update.RepositoriesDone && Interlocked.CompareExchange(ref listed, update.RepositoriesDone, seen) != seen)
            {
            }

            Send("Listed the tags of " + update.CurrentRepository);
        }

        internal void Checked(string environment)
        {
            Interlocked.Increment(ref checkedCount);
            Send("Checked " + environment);
        }

        private void Send(string current) =>
            report?.Invoke(new EnvironmentReportProgress(Volatile.Read(ref listed), Volatile.Read(ref repositories), Volatile.Read(ref checkedCount), environments, current));
    }
}
