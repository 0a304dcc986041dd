using System.Text.Json;

namespace Renku.PowerShell.Registry;

/// <summary>
/// Strings of JSON written by others. <see cref="JsonElement.GetString"/> throws
/// <see cref="InvalidOperationException"/> for a string that is not text (invalid UTF-8, or a
/// <c>\u</c> escape of half a surrogate pair); readers treat such a value as one of the wrong type.
/// </summary>
internal static class JsonText
{
    /// <summary>The string value, or null when the element is not a string or not text.</summary>
    internal static string? StringOrNull(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
