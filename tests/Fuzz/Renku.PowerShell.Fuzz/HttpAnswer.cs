using System.Net;
using System.Text;

namespace Renku.PowerShell.Fuzz;

/// <summary>
/// An HTTP answer written as text: a status line ("200"), header lines ("Link: &lt;...&gt;; rel=next"),
/// an empty line, then the body. Input without a status line is a 200 whose body is all of it.
/// </summary>
internal sealed class HttpAnswer
{
    private HttpAnswer(HttpStatusCode status, IReadOnlyList<(string Name, string Value)> headers, byte[] body)
    {
        Status = status;
        Headers = headers;
        Body = body;
    }

    internal HttpStatusCode Status { get; }

    internal IReadOnlyList<(string Name, string Value)> Headers { get; }

    internal byte[] Body { get; }

    internal static HttpAnswer Parse(byte[] bytes)
    {
        int end = IndexOf(bytes, "\n\n"u8);
        if (end < 0)
        {
            return new HttpAnswer(HttpStatusCode.OK, Array.Empty<(string, string)>(), bytes);
        }

        string[] head = Encoding.UTF8.GetString(bytes, 0, end).Split('\n');
        if (!int.TryParse(head[0].Trim(), out int status) || status < 100 || status > 599)
        {
            return new HttpAnswer(HttpStatusCode.OK, Array.Empty<(string, string)>(), bytes);
        }

        var headers = new List<(string, string)>();
        foreach (string line in head.Skip(1))
        {
            int colon = line.IndexOf(':');
            if (colon > 0)
            {
                headers.Add((line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
            }
        }

        return new HttpAnswer((HttpStatusCode)status, headers, bytes.AsSpan(end + 2).ToArray());
    }

    internal HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var response = new HttpResponseMessage(Status) { RequestMessage = request, Content = new ByteArrayContent(Body) };
        foreach ((string name, string value) in Headers)
        {
            if (!response.Headers.TryAddWithoutValidation(name, value))
            {
                response.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return response;
    }

    private static int IndexOf(byte[] bytes, ReadOnlySpan<byte> value) => bytes.AsSpan().IndexOf(value);
}

/// <summary>Answers every request with the same answer, as a server that always says the same thing.</summary>
internal sealed class AnswerHandler : HttpMessageHandler
{
    private readonly HttpAnswer answer;

    internal AnswerHandler(HttpAnswer answer)
    {
        this.answer = answer;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Task.FromResult(answer.ToResponse(request));
}
