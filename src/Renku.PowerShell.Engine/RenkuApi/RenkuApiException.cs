using System.Net;

namespace Renku.PowerShell.RenkuApi;

/// <summary>An error answer of the data API, with the API's own code and message.</summary>
public sealed class RenkuApiException : Exception
{
    public RenkuApiException(HttpStatusCode statusCode, int? apiCode, string? apiMessage, string? detail, string request)
        : base(Describe(statusCode, apiCode, apiMessage, detail, request))
    {
        StatusCode = statusCode;
        ApiCode = apiCode;
        ApiMessage = apiMessage;
        Detail = detail;
        Request = request;
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>The API's error code (1000 + HTTP status, e.g. 1422).</summary>
    public int? ApiCode { get; }

    public string? ApiMessage { get; }

    public string? Detail { get; }

    /// <summary>The method and path that failed (<c>PATCH /environments/01H...</c>).</summary>
    public string Request { get; }

    private static string Describe(HttpStatusCode status, int? code, string? message, string? detail, string request)
    {
        string text = $"{request} failed: the Renku data API answered {(int)status}";
        if (code is not null)
        {
            text += $" (code {code})";
        }

        if (!string.IsNullOrEmpty(message))
        {
            text += ": " + message.TrimEnd('.');
        }

        if (!string.IsNullOrEmpty(detail))
        {
            text += " (" + detail + ")";
        }

        return text + ".";
    }
}
