using Renku.PowerShell.Environments;
using Renku.PowerShell.RenkuApi;

namespace Renku.PowerShell.Platforms;

/// <summary>
/// Reads the launchers and resource pools of a Renku deployment once, then tells for any
/// environment where its launchers run. A deployment that refuses either listing gives no answer
/// (null), never a failure: the platform fit is then unknown.
/// </summary>
public sealed class LaunchPlatformReader
{
    private readonly RenkuApiClient client;
    private readonly object gate = new();
    private Task<(IReadOnlyList<SessionLauncher> Launchers, IReadOnlyList<ResourcePool> Pools)?>? read;

    public LaunchPlatformReader(RenkuApiClient client)
    {
        this.client = client ?? throw new ArgumentNullException(nameof(client));
    }

    /// <summary>Where the launchers of the environment run, or null when Renku could not tell.</summary>
    public async Task<IReadOnlyList<LaunchPlatform>?> ForEnvironmentAsync(string environmentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(environmentId);
        Task<(IReadOnlyList<SessionLauncher> Launchers, IReadOnlyList<ResourcePool> Pools)?> listing;
        lock (gate)
        {
            listing = read ??= ReadAsync(cancellationToken);
        }

        var found = await listing.WaitAsync(cancellationToken).ConfigureAwait(false);
        return found is null ? null : LaunchPlatforms.Resolve(EnvironmentUsage.LaunchersUsing(found.Value.Launchers, environmentId), found.Value.Pools);
    }

    /// <summary>The launchers that start the environment (every type), or null when they could not be listed.</summary>
    public async Task<IReadOnlyList<SessionLauncher>?> LaunchersOfAsync(string environmentId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(environmentId);
        Task<(IReadOnlyList<SessionLauncher> Launchers, IReadOnlyList<ResourcePool> Pools)?> listing;
        lock (gate)
        {
            listing = read ??= ReadAsync(cancellationToken);
        }

        var found = await listing.WaitAsync(cancellationToken).ConfigureAwait(false);
        return found is null ? null : EnvironmentUsage.LaunchersUsing(found.Value.Launchers, environmentId);
    }

    private async Task<(IReadOnlyList<SessionLauncher>, IReadOnlyList<ResourcePool>)?> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            Task<IReadOnlyList<SessionLauncher>> launchers = client.GetSessionLaunchersAsync(null, cancellationToken);
            Task<IReadOnlyList<ResourcePool>> pools = client.GetResourcePoolsAsync(cancellationToken);
            await Task.WhenAll(launchers, pools).ConfigureAwait(false);
            return (launchers.Result, pools.Result);
        }
        catch (RenkuApiException)
        {
            return null;
        }
    }
}
