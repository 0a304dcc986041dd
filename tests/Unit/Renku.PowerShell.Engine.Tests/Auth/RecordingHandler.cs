using System.Net;
using System.Text;

namespace Renku.PowerShell.Engine.Tests.Auth;

/// <summary>
/// An HTTP handler in place of the network, for hosts a test cannot reach (a plain-HTTP Renku that
/// is not loopback): it records every request the client sends and answers from a table of paths.
/// </summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, (HttpStatusCode Status, string Json)> answer;

    public RecordingHandler(Func<HttpRequestMessage, (HttpStatusCode Status, string Json)> answer)
    {
        this.answer = answer;
    }

    public List<(Uri Uri, string? Authorization)> Requests { get; } = new();

    /// <summary>Answers the data API as an admin would see it: the version, the user and no environments.</summary>
    public static RecordingHandler RenkuAdmin() => new(request => request.RequestUri!.AbsolutePath switch
    {
        "/api/data/version" => (HttpStatusCode.OK, "{\"version\":\"0.79.0\"}"),
        "/api/data/user" => (HttpStatusCode.OK, "{\"id\":\"u1\",\"username\":\"admin\",\"is_admin\":true}"),
        "/api/data/environments" => (HttpStatusCode.OK, "[]"),
        _ => (HttpStatusCode.NotFound, "{}"),
    });

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add((request.RequestUri!, request.Headers.Authorization?.ToString()));
        }

        (HttpStatusCode status, string json) = answer(request);
        return Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, "application/json"), RequestMessage = request });
    }
}
