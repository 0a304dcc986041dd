using Renku.PowerShell.Http;

namespace Renku.PowerShell.Engine.Tests.Http;

/// <summary>The time bounds the hostile-server tests set, short so that the tests measure them rather than the defaults.</summary>
internal static class HostileBounds
{
    public static readonly HttpTimeouts Short = new()
    {
        ResponseHeaders = TimeSpan.FromSeconds(1),
        LowSpeedTime = TimeSpan.FromSeconds(1),
        LowSpeedLimit = 1024,
        Operation = TimeSpan.FromMinutes(1),
    };

    /// <summary>Generous: the machine is shared, and a bound is proven by not waiting the hostile server's minutes.</summary>
    public static readonly TimeSpan Slack = TimeSpan.FromSeconds(8);
}
