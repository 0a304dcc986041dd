using System.Diagnostics;
using System.Text;

using Renku.PowerShell.Engine.Tests.Http;
using Renku.PowerShell.Http;
using Renku.PowerShell.RenkuApi;
using Renku.PowerShell.TestSupport.Hostile;

using Xunit;

namespace Renku.PowerShell.Engine.Tests.Auth;

/// <summary>The data API and identity provider clients against servers that hold them: each ends with an <see cref="HttpTimeoutException"/> within its bounds.</summary>
public sealed class RenkuTimeoutTests
{
    private static readonly byte[] Environments = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat("{\"id\":\"01HZ5Q3K8M0000000000000000\"}", 100)) + "]");

    public static TheoryData<string> Misbehaviours => new() { "never", "headers", "drip", "stall" };

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task ADataApiThatHoldsTheClientTimesOut(string how)
    {
        using HostileHttpServer renku = HostileHttpServer.Start(request => request.Path switch
        {
            "/api/data/version" => Json("{\"version\":\"0.79.0\"}"),
            "/api/data/user" => Json("{\"id\":\"u1\",\"username\":\"admin\",\"is_admin\":true}"),
            _ => Hostile(how, Environments),
        });

        // The connect's own requests are answered at once but are not under test: they get the
        // default bounds (on a loaded machine, the process's first requests can take over the short
        // bound to send). The short bounds apply to the data API call alone, on the same client.
        using RenkuConnection connected = await RenkuConnector.ConnectWithAccessTokenAsync(renku.Uri, Secrets.Secure("token-123"), null, null, CancellationToken.None);
        using var connection = new RenkuConnection(connected.Uri, connected.ApiUri, null, null, connected.Http, connected.Tokens, new RenkuConnectionOptions { Timeouts = HostileBounds.Short });
        var clock = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<HttpTimeoutException>(() => new RenkuApiClient(connection).GetEnvironmentsAsync(false, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1) + HostileBounds.Slack);
        Assert.Contains("GET /environments", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("token-123", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Misbehaviours))]
    public async Task AnIdentityProviderThatHoldsTheClientTimesOut(string how)
    {
        byte[] discovery = Encoding.UTF8.GetBytes(new string(' ', 2000) + "{}");
        using HostileHttpServer keycloak = HostileHttpServer.Start(Hostile(how, discovery));
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpTimeoutException>(() => RenkuConnector.ConnectWithClientCredentialAsync(keycloak.Uri, null, "svc", Secrets.Secure("secret-123"), new RenkuConnectionOptions { Timeouts = HostileBounds.Short }, null, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(1) + HostileBounds.Slack);
        Assert.Single(keycloak.Requests);
    }

    [Fact]
    public async Task OneCallIsBoundedAsAWholeAndCancellationStaysCancellation()
    {
        using HostileHttpServer renku = HostileHttpServer.Start(HostileReply.NeverAnswer());
        var options = new RenkuConnectionOptions { Timeouts = HttpTimeouts.Default.WithOperation(TimeSpan.FromSeconds(1.5)) };
        var clock = Stopwatch.StartNew();
        await Assert.ThrowsAsync<HttpTimeoutException>(() => RenkuConnector.ConnectWithAccessTokenAsync(renku.Uri, Secrets.Secure("token-123"), options, null, CancellationToken.None));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.4), TimeSpan.FromSeconds(1.5) + HostileBounds.Slack);

        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => RenkuConnector.ConnectWithAccessTokenAsync(renku.Uri, Secrets.Secure("token-123"), options, null, stop.Token));
    }

    private static HostileReply Hostile(string how, byte[] body) => how switch
    {
        "never" => HostileReply.NeverAnswer(),
        "headers" => HostileReply.EndlessHeaders(TimeSpan.FromMilliseconds(50)),
        "drip" => HostileReply.Drip(body, TimeSpan.FromMilliseconds(20), new Dictionary<string, string> { ["Content-Type"] = "application/json" }),
        _ => HostileReply.StallMidBody(body, 10, new Dictionary<string, string> { ["Content-Type"] = "application/json" }),
    };

    private static HostileReply Json(string json) => HostileReply.Answer(200, Encoding.UTF8.GetBytes(json), new Dictionary<string, string> { ["Content-Type"] = "application/json" });
}
