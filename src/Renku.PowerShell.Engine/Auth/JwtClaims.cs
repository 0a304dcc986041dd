using System.Text.Json;

namespace Renku.PowerShell.Auth;

/// <summary>Reads the expiry of a JWT without validating it (the server validates; this is for display and refresh timing).</summary>
internal static class JwtClaims
{
    public static DateTimeOffset? Expiry(string token)
    {
        string[] parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        try
        {
            string payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
            using JsonDocument document = JsonDocument.Parse(Convert.FromBase64String(payload));
            // A payload that is not an object, an exp that is not a number or out of the calendar's range: no expiry known.
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("exp", out var exp)
                && exp.ValueKind == JsonValueKind.Number
                && exp.TryGetInt64(out long seconds)
                && seconds >= DateTimeOffset.MinValue.ToUnixTimeSeconds() && seconds <= DateTimeOffset.MaxValue.ToUnixTimeSeconds()
                ? DateTimeOffset.FromUnixTimeSeconds(seconds)
                : null;
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return null;
        }
    }
}
