using System.Diagnostics;
using System.Text;

using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Tests.Images;

/// <summary>
/// The registry cmdlets against registries that hold their client: a manifest dripped a byte a
/// second once kept Get-RenkuImage reading past 120 s; now -RegistryTimeout ends it with RegistryTimeout.
/// </summary>
public sealed class RegistryTimeoutCmdletTests
{
    private static readonly byte[] Manifest = Encoding.ASCII.GetBytes(new string(' ', 2048) + "{}");

    [Theory]
    [InlineData("Get-RenkuImage -Image $image -RegistryTimeout 00:00:02")]
    [InlineData("Get-RenkuImageTag -Repository $image -RegistryTimeout 00:00:02")]
    [InlineData("Test-RenkuImageCompliance -Image $image -RegistryTimeout 00:00:02")]
    public void ADrippingRegistryEndsWithRegistryTimeoutWithinTheBound(string script)
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.Drip(Manifest, TimeSpan.FromSeconds(1), new Dictionary<string, string> { ["Content-Type"] = "application/json" }));
        var clock = Stopwatch.StartNew();
        var result = ModuleHost.Run(script, new Dictionary<string, object?> { ["image"] = registry.Host + "/team/app:1.0" }, TimeSpan.FromSeconds(60));
        Assert.Contains(result.ErrorIds, id => id.StartsWith("RegistryTimeout,", StringComparison.Ordinal));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(20));
    }

    [Fact]
    public void ARegistryThatNeverAnswersIsAskedOnce()
    {
        using HostileHttpServer registry = HostileHttpServer.Start(HostileReply.NeverAnswer());
        var clock = Stopwatch.StartNew();
        var result = ModuleHost.Run("Get-RenkuImage -Image $image -RegistryTimeout 00:00:03", new Dictionary<string, object?> { ["image"] = registry.Host + "/team/app:1.0" }, TimeSpan.FromSeconds(60));
        Assert.StartsWith("RegistryTimeout,", Assert.Single(result.ErrorIds), StringComparison.Ordinal);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.9), TimeSpan.FromSeconds(20));
        Assert.Single(registry.Requests);
    }
}
