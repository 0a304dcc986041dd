using System.Globalization;
using System.Management.Automation;

using Renku.PowerShell.Commands.Core;
using Renku.PowerShell.Commands.Parameters;

namespace Renku.PowerShell.Commands.Pools;

/// <summary>
/// Gets Renku's resource pools with their classes, quota and platform.
/// </summary>
[Cmdlet(VerbsCommon.Get, "RenkuResourcePool", DefaultParameterSetName = ParameterSets.Name)]
[OutputType(typeof(ResourcePool))]
public sealed class GetRenkuResourcePoolCommand : RenkuApiCmdlet
{
    private IReadOnlyList<ResourcePool>? all;

    /// <summary>Only pools whose name matches (wildcards).</summary>
    [Parameter(Position = 0, ParameterSetName = ParameterSets.Name)]
    [SupportsWildcards]
    public string[]? Name { get; set; }

    /// <summary>Pools by id; a class's <c>PoolId</c> and a launch's <c>PoolId</c> pipe in.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ParameterSets.Id, ValueFromPipelineByPropertyName = true)]
    [Alias("PoolId")]
    [ValidateRange(1, int.MaxValue)]
    public int[] Id { get; set; } = Array.Empty<int>();

    /// <summary>Only pools of this platform.</summary>
    [Parameter]
    [ValidateSet("linux/amd64", "linux/arm64")]
    public string? Platform { get; set; }

    protected override void Process()
    {
        RequireConnection();
        if (ParameterSetName == ParameterSets.Id)
        {
            foreach (int id in Id)
            {
                try
                {
                    ResourcePool? pool = Run((_, ct) => Client.GetResourcePoolAsync(id, ct));
                    if (pool is null)
                    {
                        string text = id.ToString(CultureInfo.InvariantCulture);
                        WriteError(ErrorMap.NotFound(ErrorIds.ResourcePoolNotFound, $"There is no resource pool with id {text} that {Client.Connection.UserName} can read.", id, "List the pools with Get-RenkuResourcePool."));
                    }
                    else if (Fits(pool))
                    {
                        WriteObject(pool);
                    }
                }
                catch (Exception ex) when (IsKnownFailure(ex))
                {
                    WriteFailure(ex, id);
                }
            }

            return;
        }

        try
        {
            all ??= Run((_, ct) => Client.GetResourcePoolsAsync(ct));
        }
        catch (Exception ex) when (IsKnownFailure(ex))
        {
            ThrowFailure(ex, Client.Connection.ApiUri);
        }

        IEnumerable<ResourcePool> selected = all.Where(Fits);
        if (Name is { Length: > 0 })
        {
            var patterns = Name.Select(n => new WildcardPattern(n, WildcardOptions.IgnoreCase)).ToList();
            selected = selected.Where(p => patterns.Any(pattern => pattern.IsMatch(p.Name)));
        }

        WriteObject(selected, enumerateCollection: true);
    }

    private bool Fits(ResourcePool pool) => Platform is null || string.Equals(pool.Platform, Platform, StringComparison.OrdinalIgnoreCase);
}
