namespace Renku.PowerShell.Http;

/// <summary>A server did not answer, or sent too slowly, within the module's time bounds.</summary>
public sealed class HttpTimeoutException : TimeoutException
{
    public HttpTimeoutException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
